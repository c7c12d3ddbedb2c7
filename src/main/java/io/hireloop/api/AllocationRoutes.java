package io.hireloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.experiment.Allocation;
import io.hireloop.experiment.Experiment;
import io.hireloop.experiment.ExperimentAllocations;
import io.hireloop.experiment.Layer;
import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.platform.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Experiment allocation endpoints (admin): start (reserving the layer range), ramps, allocation changes,
 * Thompson updates, and layers with their holdout. Thin: parse, ask {@link ExperimentAllocations}, render.
 */
final class AllocationRoutes extends AllDirectives {
  private final Routes routes;
  private final Routes.Services s;
  private final ExperimentAllocations allocations;

  AllocationRoutes(Routes routes, Routes.Services services) {
    this.routes = routes;
    this.s = services;
    this.allocations = new ExperimentAllocations(services.system(), services.exposures(), services.askTimeout());
  }

  /** Under {@code /experiments/{id}}. */
  Route experiment(Auth.Principal p, String id) {
    return concat(
        path("start", () -> post(() -> routes.admin(p, () -> entity(Unmarshaller.entityToString(), body ->
            changed(id, allocations.start(id, layerShare(body), p.subject())))))),
        path("ramp", () -> post(() -> routes.admin(p, () -> routes.jsonBody(body ->
            changed(id, allocations.ramp(id, share(body, "traffic", 0, 1, false), p.subject())))))),
        pathPrefix("allocation", () -> routes.admin(p, () -> concat(
            pathEnd(() -> concat(
                get(() -> routes.reply(allocations.view(id).thenApply(v -> Routes.json(StatusCodes.OK, view(v, id))))),
                post(() -> routes.jsonBody(body -> changed(id, allocations.reallocate(id, weights(body), p.subject())))))),
            path("thompson", () -> post(() -> routes.reply(allocations.thompson(id, p.subject()).thenCompose(u -> {
              Routes.checked(u.experiment(), id);
              return allocations.view(id).thenApply(v -> {
                var m = view(v, id);
                var arms = new java.util.ArrayList<Map<String, Object>>();
                for (int i = 0; i < u.arms().size(); i++) {
                  var a = new LinkedHashMap<String, Object>();
                  a.put("variant_id", u.arms().get(i).variantId());
                  a.put("users", u.arms().get(i).users());
                  a.put("conversions", u.arms().get(i).conversions());
                  a.put("probability_best", u.probabilityBest().get(i));
                  a.put("weight", u.weights().get(i));
                  arms.add(a);
                }
                m.put("thompson", arms);
                return Routes.json(StatusCodes.OK, m);
              });
            }))))))));
  }

  /** {@code /layers/{name}}: GET the holdout and the ranges held; POST {@code {"holdout": 0.1}}. */
  Route layers(Auth.Principal p) {
    return pathPrefix(PathMatchers.segment("layers").slash(PathMatchers.segment()), name -> routes.admin(p, () -> {
      if (!name.matches("[A-Za-z0-9_.:-]{1,200}") || !Allocation.isNamedLayer(name)) {
        throw ApiError.notFound("no layer '" + name + "' (layer names: letters, digits and _ . : -; 'default' is no layer)");
      }
      return pathEnd(() -> concat(
          get(() -> routes.reply(allocations.layer(name).thenApply(l -> Routes.json(StatusCodes.OK, layer(l))))),
          post(() -> routes.jsonBody(body -> routes.reply(allocations.holdout(name, share(body, "holdout", 0, Layer.MAX_HOLDOUT, true), p.subject())
              .thenApply(l -> {
                if (l.error() != null) throw new ApiError(StatusCodes.CONFLICT, "conflict", l.error());
                return Routes.json(StatusCodes.OK, layer(l));
              }))))));
    }));
  }

  /** Renders the experiment and its allocation after a change, or the change's refusal. */
  private Route changed(String id, CompletionStage<Experiment.Reply> change) {
    return routes.reply(change.thenCompose(r -> {
      Routes.checked(r, id);
      s.assignments().invalidate(id);
      return allocations.view(id).thenApply(v -> {
        var m = Routes.experimentJson(v.reply());
        m.put("allocation", view(v, id).get("allocation"));
        return Routes.json(StatusCodes.OK, m);
      });
    }));
  }

  private static Map<String, Object> view(Experiment.View v, String id) {
    var r = Routes.checked(v.reply(), id);
    var a = v.allocation();
    var names = r.spec().variants().stream().map(Experiment.Variant::variantId).toList();
    var al = new LinkedHashMap<String, Object>();
    al.put("traffic", a.traffic());
    al.put("weights", weightsJson(names, a.weights()));
    double from = 0;
    var slices = new java.util.ArrayList<Map<String, Object>>();
    for (var sl : a.slices()) {
      var m = new LinkedHashMap<String, Object>();
      m.put("traffic_from", from);
      m.put("traffic_to", sl.upTo());
      m.put("weights", weightsJson(names, sl.weights()));
      slices.add(m);
      from = sl.upTo();
    }
    al.put("slices", slices);
    if (a.layered()) {
      var l = new LinkedHashMap<String, Object>();
      l.put("name", a.layer());
      l.put("from", a.layerFrom());
      l.put("to", a.layerTo());
      al.put("layer_range", l);
    }
    var m = new LinkedHashMap<String, Object>();
    m.put("experiment_id", id);
    m.put("status", r.status());
    m.put("allocation_mode", r.spec().allocationMode());
    m.put("allocation", al);
    return m;
  }

  private static Map<String, Object> weightsJson(List<String> names, List<Double> weights) {
    var m = new LinkedHashMap<String, Object>();
    for (int i = 0; i < names.size() && i < weights.size(); i++) m.put(names.get(i), weights.get(i));
    return m;
  }

  private static Map<String, Object> layer(Layer.Reply l) {
    var m = new LinkedHashMap<String, Object>();
    m.put("layer", l.layer());
    m.put("holdout", l.holdout());
    var held = new java.util.ArrayList<Map<String, Object>>();
    double free = 1 - l.holdout();
    for (var e : new TreeMap<>(l.experiments()).entrySet()) {
      var x = new LinkedHashMap<String, Object>();
      x.put("experiment_id", e.getKey());
      x.put("from", e.getValue().from());
      x.put("to", e.getValue().to());
      held.add(x);
      free -= e.getValue().to() - e.getValue().from();
    }
    m.put("experiments", held);
    m.put("free_share", Math.max(0, free));
    return m;
  }

  private static double share(JsonNode body, String field, double min, double max, boolean minInclusive) {
    var v = body.path(field);
    boolean ok = v.isNumber() && (minInclusive ? v.asDouble() >= min : v.asDouble() > min) && v.asDouble() <= max;
    if (!ok) {
      String range = (minInclusive ? "[" : "(") + min + ", " + max + "]";
      throw ApiError.validation(List.of(new FieldProblem(field, "required number in " + range)));
    }
    return v.asDouble();
  }

  /** The start body is optional: nothing, {@code {}}, or {@code {"layer_share": 0.5}}. */
  private static Double layerShare(String body) {
    if (body == null || body.isBlank()) return null;
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new ApiError(StatusCodes.BAD_REQUEST, "malformed_json", "the body is not valid JSON");
    }
    if (node == null || !node.isObject()) throw ApiError.badRequest("the body must be a JSON object");
    if (!node.has("layer_share") || node.get("layer_share").isNull()) return null;
    return share(node, "layer_share", 0, 1, false);
  }

  /** {@code {"variants": [{"variant_id": "control", "allocation": 0.5}, …]}}. */
  private static Map<String, Double> weights(JsonNode body) {
    var vs = body.path("variants");
    var out = new LinkedHashMap<String, Double>();
    var problems = new java.util.ArrayList<FieldProblem>();
    if (!vs.isArray() || vs.isEmpty()) problems.add(new FieldProblem("variants", "required array of {variant_id, allocation}"));
    for (int i = 0; i < vs.size(); i++) {
      var v = vs.get(i);
      var id = v.path("variant_id");
      var w = v.path("allocation");
      if (!id.isTextual()) problems.add(new FieldProblem("variants[" + i + "].variant_id", "required string"));
      if (!w.isNumber() || w.asDouble() < 0 || w.asDouble() > 1) problems.add(new FieldProblem("variants[" + i + "].allocation", "required number in [0, 1]"));
      if (id.isTextual() && w.isNumber() && out.put(id.asText(), w.asDouble()) != null) {
        problems.add(new FieldProblem("variants[" + i + "].variant_id", "duplicate"));
      }
    }
    if (!problems.isEmpty()) throw ApiError.validation(problems);
    return out;
  }
}
