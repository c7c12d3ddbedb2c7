package io.hireloop.ranking;

import io.hireloop.learning.TrainingSetProjection;
import io.hireloop.ranking.DiversityTrend.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Where the diversity report reads what users were shown and what they applied to (a seam: tests give lists). */
public interface DiversitySource {
  /** Every job in the top slots of a list served at or after {@code since}. */
  CompletionStage<List<Observation>> shown(Instant since);

  /** Every application created at or after {@code since}, at its creation time. */
  CompletionStage<List<Observation>> applied(Instant since);

  /**
   * The node's source: {@code ranking_log} (at most {@code maxRankings} lists, newest days first) and the training set's
   * application rows (each with its context's job characteristics).
   */
  static DiversitySource of(RankingLog log, TrainingSetProjection trainingSet, int maxRankings) {
    return new DiversitySource() {
      @Override
      public CompletionStage<List<Observation>> shown(Instant since) {
        return log.since(since, maxRankings).thenApply(rankings -> {
          var out = new ArrayList<Observation>();
          for (var r : rankings) {
            for (var j : r.jobs()) if (j.position() <= r.slots()) out.add(new Observation(r.loggedAt(), j.facets()));
          }
          return out;
        });
      }

      @Override
      public CompletionStage<List<Observation>> applied(Instant since) {
        return trainingSet.applications().thenApply(rows -> {
          var out = new ArrayList<Observation>();
          for (var e : rows) {
            var s = e.row().snapshot();
            if (s.appliedAt() == null || s.appliedAt().isBefore(since)) continue;
            var job = s.context().jobCharacteristics();
            out.add(new Observation(s.appliedAt(), job == null ? List.of()
                : Arrays.asList(job.industry(), job.company(), job.seniority(), job.location())));
          }
          return out;
        });
      }
    };
  }
}
