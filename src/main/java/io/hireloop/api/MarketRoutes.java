package io.hireloop.api;

import com.typesafe.config.Config;
import io.hireloop.analytics.quality.CalibrationReport;
import io.hireloop.analytics.quality.TimingReport;
import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.market.MarketFacts;
import io.hireloop.market.MarketProjection;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /market} (any token: the answer is anonymised), {@code GET /analytics/calibration} and
 * {@code GET /analytics/timing} (admin). Parses and checks the query, then renders what the market read model
 * and the quality reports compute.
 */
public final class MarketRoutes extends AllDirectives {
  /** How Routes answers a future and guards admin calls. */
  public interface Wiring {
    Route reply(CompletionStage<HttpResponse> response);

    Route admin(Auth.Principal p, Supplier<Route> inner);
  }

  private final MarketProjection market;
  private final int k;
  private final int maxWeeks;
  private final int calibrationMinSample;
  private final int timingMinSample;
  private final double materialShift;

  public MarketRoutes(MarketProjection market, Config config) {
    this.market = market;
    this.k = config.getInt("hireloop.market.k-anonymity");
    this.maxWeeks = config.getInt("hireloop.market.max-weeks");
    this.calibrationMinSample = config.getInt("hireloop.quality.calibration-min-sample");
    this.timingMinSample = config.getInt("hireloop.quality.timing-min-sample");
    this.materialShift = config.getDouble("hireloop.quality.timing-material-shift");
  }

  public Route route(Auth.Principal p, Wiring w) {
    return concat(
        path("market", () -> get(() -> parameterOptional("from", from -> parameterOptional("to", to -> marketInsights(w, from, to))))),
        pathPrefix("analytics", () -> concat(
            path("calibration", () -> get(() -> w.admin(p, () -> w.reply(market.outcomes().thenApply(o ->
                Routes.json(StatusCodes.OK, CalibrationReport.compute(o, calibrationMinSample))))))),
            path("timing", () -> get(() -> w.admin(p, () -> w.reply(market.outcomes().thenApply(o ->
                Routes.json(StatusCodes.OK, TimingReport.compute(o, timingMinSample, materialShift))))))))));
  }

  private Route marketInsights(Wiring w, Optional<String> fromParam, Optional<String> toParam) {
    var problems = new ArrayList<FieldProblem>();
    var today = LocalDate.now(ZoneOffset.UTC);
    var to = date("to", toParam, today, problems);
    var from = date("from", fromParam, to == null ? null : to.minusWeeks(12), problems);
    if (problems.isEmpty()) {
      if (from.isAfter(to)) problems.add(new FieldProblem("from", "must not be after to"));
      else if (ChronoUnit.WEEKS.between(MarketFacts.weekOf(from), MarketFacts.weekOf(to)) + 1 > maxWeeks) {
        problems.add(new FieldProblem("to", "the range may cover at most " + maxWeeks + " weeks"));
      }
    }
    if (!problems.isEmpty()) throw ApiError.validation(problems);
    return w.reply(market.insights(MarketFacts.weekOf(from), MarketFacts.weekOf(to), k)
        .thenApply(m -> Routes.json(StatusCodes.OK, m)));
  }

  private static LocalDate date(String name, Optional<String> value, LocalDate fallback, List<FieldProblem> problems) {
    if (value.isEmpty()) return fallback;
    try {
      return LocalDate.parse(value.get());
    } catch (DateTimeParseException e) {
      problems.add(new FieldProblem(name, "must be a date YYYY-MM-DD"));
      return null;
    }
  }
}
