package io.hireloop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.Node;
import io.hireloop.platform.Json;
import io.hireloop.testing.Http;
import io.hireloop.testing.TestNodes;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document ({@link Routes#OPENAPI_RESOURCE}) against the routes a node serves, and against docs/API.md.
 * Routes cannot be listed from a Pekko route tree, so the reverse direction (nothing served that the document lacks)
 * is checked two ways: every path literal in the route classes' sources is a segment of a documented path, and on every
 * documented path each undocumented method is refused (404/405).
 */
class OpenApiContractTest {
  static final String ADMIN = TestNodes.token("contract-admin", "admin");
  static final List<String> METHODS = List.of("get", "post", "put", "delete", "patch");
  /** Pekko's answer when no route matched the path: unlike a 404 of a route (unknown id), it names nothing. */
  static final String NO_ROUTE = "The requested resource could not be found.";

  static Node node;
  static Http http;
  static JsonNode doc;

  @BeforeAll
  static void start() throws IOException {
    try (var in = OpenApiContractTest.class.getClassLoader().getResourceAsStream(Routes.OPENAPI_RESOURCE)) {
      doc = Json.MAPPER.readTree(in);
    }
    node = TestNodes.startShared("openapi", Map.of());
    http = TestNodes.readyHttp(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  record Operation(String method, String path, JsonNode op) {
    String key() {
      return method.toUpperCase() + " " + path.replaceAll("\\{[^}]+}", "{}");
    }
  }

  static List<Operation> operations() {
    var out = new ArrayList<Operation>();
    doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
      if (METHODS.contains(m.getKey())) out.add(new Operation(m.getKey(), p.getKey(), m.getValue()));
    }));
    return out;
  }

  @Test
  void theDocumentIsValidOpenApi3() throws IOException {
    var text = new String(getClass().getClassLoader().getResourceAsStream(Routes.OPENAPI_RESOURCE).readAllBytes(), StandardCharsets.UTF_8);
    var options = new ParseOptions();
    options.setResolve(true);
    var result = new OpenAPIV3Parser().readContents(text, null, options);
    assertEquals(List.of(), result.getMessages(), "validation messages");
    assertEquals(doc.path("paths").size(), result.getOpenAPI().getPaths().size());
    for (var o : operations()) {
      assertTrue(o.op().path("summary").asText().length() > 10, o.key() + ": a summary");
      assertTrue(o.op().path("x-roles").isArray(), o.key() + ": x-roles lists who may call it");
      assertTrue(o.op().path("responses").size() > 0, o.key() + ": responses");
    }
  }

  @Test
  void theNodeServesTheDocumentWithoutAToken() {
    var reply = http.get("/api/v1/openapi.json", null);
    assertEquals(200, reply.status(), reply.body());
    assertEquals(doc, reply.json());
    var explorer = http.get("/api/v1/docs", null);
    assertEquals(200, explorer.status());
    assertTrue(explorer.body().contains("docs/swagger-ui-bundle.js") && explorer.body().contains("openapi.json"), explorer.body());
    // the webjar's version in Routes.SWAGGER_UI is the one pom.xml brings
    var bundle = http.get("/api/v1/docs/swagger-ui-bundle.js", null);
    assertEquals(200, bundle.status());
    assertTrue(bundle.body().length() > 100_000, "the Swagger UI bundle");
  }

  @Test
  void everyDocumentedOperationIsServed() {
    var notServed = new ArrayList<String>();
    for (var o : operations()) {
      var reply = call(o.method(), concrete(o), o.op().has("requestBody") ? "{}" : null);
      if (reply.status() == 405 || (reply.status() == 404 && NO_ROUTE.equals(message(reply)))) {
        notServed.add(o.key() + " -> " + reply.status() + " " + reply.body());
      }
    }
    assertEquals(List.of(), notServed, "documented but not served");
  }

  @Test
  void noUndocumentedMethodIsServedOnADocumentedPath() {
    var served = new ArrayList<String>();
    doc.path("paths").fields().forEachRemaining(p -> {
      for (var method : METHODS) {
        if (p.getValue().has(method)) continue;
        var reply = call(method, concrete(new Operation(method, p.getKey(), firstOperation(p.getValue()))), "{}");
        if (reply.status() != 404 && reply.status() != 405) served.add(method.toUpperCase() + " " + p.getKey() + " -> " + reply.status());
      }
    });
    assertEquals(List.of(), served, "served but not documented");
  }

  @Test
  void everyPathLiteralOfTheRoutesIsASegmentOfADocumentedPath() throws IOException {
    var segments = new TreeSet<String>();
    doc.path("paths").fieldNames().forEachRemaining(p -> segments.addAll(List.of(p.split("/"))));
    var literal = Pattern.compile("(?:(?<![.\\w])(?:path|pathPrefix)|\\bsegment|\\bslash)\\(\"([^\"]+)\""); // not JsonNode.path
    var missing = new TreeSet<String>();
    int found = 0;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (var file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        var source = Files.readString(file);
        if (!source.contains("AllDirectives") && !file.getFileName().toString().endsWith("Routes.java")) continue;
        var m = literal.matcher(source);
        while (m.find()) {
          found++;
          if (!segments.contains(m.group(1))) missing.add(m.group(1) + " (" + file.getFileName() + ")");
        }
      }
    }
    assertTrue(found > 40, "the scan found the route literals: " + found);
    assertEquals(Set.of(), missing, "route literals no documented path has");
  }

  @Test
  void apiMdAndTheDocumentNameTheSameOperations() throws IOException {
    var fromDoc = new TreeSet<String>();
    for (var o : operations()) fromDoc.add(o.key());
    var fromApiMd = new TreeSet<String>();
    for (var named : apiMdOperations(Files.readString(Path.of("docs/API.md")))) {
      // an example with a concrete id (`GET /api/v1/models/response_time`) names the template it matches
      fromApiMd.add(fromDoc.contains(named) ? named : fromDoc.stream().filter(t -> matches(t, named)).findFirst().orElse(named));
    }
    assertEquals(fromDoc, fromApiMd);
  }

  static boolean matches(String template, String concrete) {
    var t = template.split("[ /]");
    var c = concrete.split("[ /]");
    if (t.length != c.length) return false;
    for (int i = 0; i < t.length; i++) if (!t[i].equals("{}") && !t[i].equals(c[i])) return false;
    return true;
  }

  /**
   * The operations API.md names in code spans: {@code `GET|PUT /api/v1/x`}, {@code `POST /api/v1/e/{id}/start | pause`}
   * (alternative last segments) and {@code `GET /api/v1/a/edits` | `/timing`} (the same, as separate spans).
   */
  static Set<String> apiMdOperations(String md) {
    var span = Pattern.compile("`((?:GET|POST|PUT|DELETE|PATCH)(?:\\|(?:GET|POST|PUT|DELETE|PATCH))*) (/(?:api/v1|health|metrics)[^`\\s?]*)[^`]*?((?: \\| [a-z-]+)*)`((?:\\s*\\|\\s*`/[a-z-]+`)*)");
    var out = new TreeSet<String>();
    var m = span.matcher(md);
    while (m.find()) {
      var path = m.group(2).replaceAll("\\{[^}]+}", "{}");
      var alternatives = new ArrayList<String>();
      alternatives.add(path);
      var parent = path.substring(0, path.lastIndexOf('/'));
      for (var alt : (m.group(3) + " " + m.group(4)).split("[|`\\s]+")) {
        if (alt.isBlank()) continue;
        alternatives.add(parent + "/" + alt.replaceFirst("^/", ""));
      }
      for (var method : m.group(1).split("\\|")) for (var p : alternatives) out.add(method + " " + p);
    }
    return out;
  }

  static JsonNode firstOperation(JsonNode pathItem) {
    for (var m : METHODS) if (pathItem.has(m)) return pathItem.get(m);
    throw new IllegalStateException("a path without operations");
  }

  /** The path with every parameter replaced by its example. */
  static String concrete(Operation o) {
    var path = o.path();
    for (var parameter : o.op().path("parameters")) {
      if (!"path".equals(parameter.path("in").asText())) continue;
      path = path.replace("{" + parameter.path("name").asText() + "}", parameter.path("example").asText());
    }
    assertTrue(!path.contains("{"), o.key() + ": every path parameter has an example");
    return path;
  }

  static Http.Reply call(String method, String path, String body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    return http.send(method.toUpperCase(), path, ADMIN, body == null ? null : "application/json", bytes, false);
  }

  static String message(Http.Reply reply) {
    try {
      return Json.MAPPER.readTree(reply.body()).path("error").path("message").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
