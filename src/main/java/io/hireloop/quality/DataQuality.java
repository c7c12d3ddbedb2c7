package io.hireloop.quality;

import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.platform.ReadModelStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/** Data quality of the node: counts rejected problems, runs the "data-quality" projection, builds the report. */
public final class DataQuality {
  private final RejectionCounter rejections;
  private final DataQualityReport report;

  private DataQuality(RejectionCounter rejections, DataQualityReport report) {
    this.rejections = rejections;
    this.report = report;
  }

  public static DataQuality init(ActorSystem<?> system, ReadModelStore store) {
    var rejections = new RejectionCounter(store);
    return new DataQuality(rejections, new DataQualityReport(DataQualityProjection.init(system, store), rejections));
  }

  /** The problems of one rejected ingest request (schema or entity rules). */
  public void rejected(List<FieldProblem> problems) {
    rejections.rejected(problems);
  }

  public CompletionStage<Map<String, Object>> report() {
    return report.build();
  }
}
