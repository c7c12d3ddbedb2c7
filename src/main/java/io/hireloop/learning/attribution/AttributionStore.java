package io.hireloop.learning.attribution;

import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/** The attribution reports in Cassandra ({@code projections/attribution_reports.cql}): any node serves the latest. */
public final class AttributionStore {
  static final String SCOPE = "all";
  private final ReadModelStore store;

  public AttributionStore(ReadModelStore store) {
    this.store = store;
  }

  public CompletionStage<Done> save(AttributionReport report) {
    return store.session().executeWrite("INSERT INTO " + store.table("attribution_reports")
        + " (scope, ran_at, run_id, report) VALUES (?, ?, ?, ?)", SCOPE, report.ranAt(), report.runId(), Json.write(report));
  }

  /** The newest report, or empty before the first run. */
  public CompletionStage<Optional<AttributionReport>> latest() {
    return store.session().selectOne("SELECT report FROM " + store.table("attribution_reports") + " WHERE scope = ? LIMIT 1", SCOPE)
        .thenApply(row -> row.map(r -> Json.read(r.getString("report"), AttributionReport.class)));
  }
}
