package io.hireloop.cli;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.learning.EnsemblePredictor;
import io.hireloop.learning.ensemble.Ensemble;
import io.hireloop.learning.ensemble.EnsembleTrainer;
import io.hireloop.learning.ensemble.LabelledSnapshot;
import io.hireloop.learning.ensemble.Member;
import io.hireloop.learning.ensemble.MemberTrainers;
import io.hireloop.learning.ensemble.Split;
import io.hireloop.learning.features.ApplicationSnapshot;
import io.hireloop.stats.ClassificationMetrics;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The ensemble's in-process scenarios of {@link Benchmark}: training on generated labelled snapshots with a planted
 * interview probability, and scoring 100 jobs with full explanations next to the members' bare logits.
 */
final class ModelScenarios {
  private ModelScenarios() {}

  static final String[] MODES = {"balanced", "aggressive", "conservative"};
  static final String[] CATEGORIES = {"reach", "target", "safety"};
  static final String[] SENIORITY = {"junior", "mid", "senior", "lead"};
  static final String[] SENIORITY_WORDS = {"Junior", "", "Senior", "Lead"};
  static final String[] FAMILIES = {"Backend Engineer", "Frontend Engineer", "Data Analyst", "Data Scientist", "Product Manager",
      "Designer", "SRE", "QA Engineer", "DevOps Engineer", "Mobile Developer", "ML Engineer", "Sales Manager", "Account Executive",
      "Marketing Manager", "HR Partner", "Recruiter", "Support Specialist", "Project Manager", "Business Analyst", "Security Engineer",
      "Solutions Architect", "Technical Writer", "Finance Analyst", "Operations Manager", "Content Strategist",
      "Customer Success Manager", "Embedded Engineer", "Game Developer", "Network Engineer", "Database Administrator"};
  static final String[] INDUSTRIES = {"software", "finance", "health", "retail", "education", "logistics", "media", "energy",
      "government", "manufacturing", "travel", "telecom"};
  static final String[] LOCATIONS = {"Berlin", "London", "Remote", "Paris", "Madrid", "Amsterdam", "Dublin", "Lisbon", "Warsaw",
      "Munich", "Stockholm", "Zurich", "Vienna", "Prague", "Milan"};
  static final String[] EDITS = {"added_metrics_to_bullets", "added_keywords", "shortened_summary", "reordered_sections",
      "quantified_impact", "removed_jargon", "added_links", "fixed_formatting"};

  /** Labelled rows and each row's planted interview probability (by identity). */
  record Generated(List<LabelledSnapshot> rows, IdentityHashMap<LabelledSnapshot, Double> truth) {}

  /**
   * About {@code n} applications (exactly n) of n/20 users over 120 days ending at {@code end}, each with the user's
   * history at creation as the training-set projection folds it: earlier applications, those whose outcome had
   * arrived (2-14 days after creation), their interviews, accepted edits, the mean seniority applied to. The label is
   * drawn from a planted logit of fit, tailoring (more on reach jobs), category, resume score, a latent user ability
   * (visible only through the user's earlier outcomes), the seniority gap, the industry, edits, strategy and a step
   * at high fit.
   */
  static Generated generate(int n, long seed, Instant end) {
    var rnd = new SplittableRandom(seed);
    var jobs = new JobCharacteristics[4][1000];
    for (int level = 0; level < 4; level++) {
      for (int k = 0; k < jobs[level].length; k++) {
        var title = (SENIORITY_WORDS[level] + " " + FAMILIES[rnd.nextInt(FAMILIES.length)]).trim();
        jobs[level][k] = new JobCharacteristics(title, "Company " + rnd.nextInt(3000), SENIORITY[level],
            LOCATIONS[rnd.nextInt(LOCATIONS.length)], INDUSTRIES[rnd.nextInt(INDUSTRIES.length)]);
      }
    }
    var industryEffect = new LinkedHashMap<String, Double>();
    for (var industry : INDUSTRIES) industryEffect.put(industry, rnd.nextDouble(-0.4, 0.4));
    var start = end.minus(Duration.ofDays(120));
    var rows = new ArrayList<LabelledSnapshot>(n);
    var truth = new IdentityHashMap<LabelledSnapshot, Double>(n * 2);
    int u = 0;
    while (rows.size() < n) {
      var userId = "gen-u-" + u++;
      int userLevel = rnd.nextInt(4);
      double ability = rnd.nextGaussian();
      double resume = rnd.nextDouble(45, 80);
      var mode = MODES[rnd.nextInt(MODES.length)];
      int apps = Math.min(n - rows.size(), 5 + rnd.nextInt(31));
      long t = start.getEpochSecond() + rnd.nextLong(60L * 86_400);
      var edits = new TreeSet<String>();
      List<String> editList = List.of();
      var responseAt = new long[apps];
      var interviewed = new boolean[apps];
      double senioritySum = 0;
      for (int a = 0; a < apps; a++) {
        t += rnd.nextLong(43_200, 5 * 86_400L);
        if (rnd.nextDouble() < 0.1 && edits.add(EDITS[rnd.nextInt(EDITS.length)])) {
          editList = List.copyOf(edits);
          resume = Math.min(100, resume + 2);
        }
        int labelled = 0;
        int interviews = 0;
        for (int b = 0; b < a; b++) {
          if (responseAt[b] <= t) {
            labelled++;
            if (interviewed[b]) interviews++;
          }
        }
        int jobLevel = Math.max(0, Math.min(3, userLevel + rnd.nextInt(-1, 3)));
        var job = jobs[jobLevel][rnd.nextInt(jobs[jobLevel].length)];
        double fit = Math.round(rnd.nextDouble(20, 100) * 10) / 10.0;
        boolean tailored = rnd.nextDouble() < 0.4;
        var category = CATEGORIES[rnd.nextInt(3)];
        double r = Math.round(resume * 10) / 10.0;
        var context = new ApplicationContext(mode, fit, category, job, r, tailored);
        var snapshot = new ApplicationSnapshot(context, Instant.ofEpochSecond(t), a, labelled, interviews, editList,
            a == 0 ? null : senioritySum / a);
        double z = -2.0 + 3.0 * (fit - 60) / 40 + (tailored ? 0.8 : 0) + (tailored && category.equals("reach") ? 0.4 : 0)
            + switch (category) {
              case "reach" -> -0.7;
              case "safety" -> 0.6;
              default -> 0.0;
            }
            + (r - 60) / 40 + 0.7 * ability - 0.6 * Math.max(jobLevel - userLevel, 0) + industryEffect.get(job.industry())
            + 0.15 * Math.min(edits.size(), 4) + (mode.equals("aggressive") ? -0.2 : 0) + (fit > 85 ? 0.3 : 0);
        double p = 1 / (1 + Math.exp(-z));
        interviewed[a] = rnd.nextDouble() < p;
        responseAt[a] = t + rnd.nextLong(2 * 86_400L, 14 * 86_400L);
        senioritySum += jobLevel;
        var row = new LabelledSnapshot(userId, snapshot, interviewed[a]);
        rows.add(row);
        truth.put(row, p);
      }
    }
    return new Generated(rows, truth);
  }

  /**
   * {@code ensemble_training_*}: EnsembleTrainer.train (every member, default settings) on {@code n} generated rows,
   * timed in total, per member and per phase (from the trainer's progress calls); the holdout AUC next to the planted
   * truth's AUC on the same holdout rows. Returns the trained ensemble.
   */
  static Ensemble training(int n, long seed, Map<String, Object> r, PrintStream out) {
    long g = System.nanoTime();
    var data = generate(n, seed, Instant.now());
    out.printf("[bench] ensemble training: %,d rows generated in %.1f s%n", n, (System.nanoTime() - g) / 1e9);
    var settings = EnsembleTrainer.Settings.defaults();
    var phaseStart = new LinkedHashMap<String, Long>();
    EnsembleTrainer.Progress progress = (phase, detail) -> {
      if (!phase.equals("member_round")) phaseStart.putIfAbsent(phase, System.nanoTime());
    };
    System.gc();
    long t0 = System.nanoTime();
    var trained = new EnsembleTrainer(MemberTrainers.of(MemberTrainers.ALL, seed)).train(data.rows(), settings, progress);
    long t1 = System.nanoTime();
    double total = (t1 - t0) / 1e9;
    var report = trained.report();
    r.put("ensemble_training_examples", n);
    r.put("ensemble_training_seconds", total);
    double members = 0;
    for (var m : report.members()) {
      r.put("ensemble_training_member_seconds_" + m.model(), m.trainingSeconds());
      members += m.trainingSeconds();
    }
    r.put("ensemble_training_members_share", members / total);
    // phases: split until "features", encoding until the first "member", members until "blend", the blend weights
    // until "calibration", then calibration, holdout figures and feature importance until train returned
    r.put("ensemble_training_phase_seconds_split", seconds(t0, phaseStart.get("features")));
    r.put("ensemble_training_phase_seconds_encoding", seconds(phaseStart.get("features"), phaseStart.get("member")));
    r.put("ensemble_training_phase_seconds_blend", seconds(phaseStart.get("blend"), phaseStart.get("calibration")));
    r.put("ensemble_training_phase_seconds_calibration_and_report", seconds(phaseStart.get("calibration"), t1));
    for (var m : report.members()) r.put("ensemble_training_rounds_" + m.model(), m.history().size());
    r.put("ensemble_training_train_rows", report.dataWindow().trainRows());
    r.put("ensemble_training_holdout_rows", report.dataWindow().holdoutRows());
    r.put("ensemble_training_holdout_auc", report.holdout().auc());
    var holdout = Split.of(data.rows(), settings.split()).holdout();
    var truthP = new double[holdout.size()];
    var labels = new int[holdout.size()];
    for (int i = 0; i < truthP.length; i++) {
      truthP[i] = data.truth().get(holdout.get(i));
      labels[i] = holdout.get(i).label() ? 1 : 0;
    }
    r.put("ensemble_training_oracle_auc", ClassificationMetrics.auc(truthP, labels));
    var line = new StringBuilder();
    for (var m : report.members()) line.append(String.format(", %s %.1f s (%d rounds)", m.model(), m.trainingSeconds(), m.history().size()));
    out.printf("[bench] ensemble training: %,d rows in %.1f s%s; holdout AUC %.3f (planted truth %.3f)%n", n, total, line,
        report.holdout().auc(), r.get("ensemble_training_oracle_auc"));
    return trained.ensemble();
  }

  /**
   * {@code score_jobs_*}: Ensemble.predict of 100 snapshots with every feature's contribution (what
   * POST /predictions/score-jobs computes for 100 jobs), alternated with the members' logits alone on the same
   * encoded rows (the baseline), and each member's attributions of the 100 rows; the first 200 rounds warm up.
   */
  static void scoring(Ensemble ensemble, int repeats, long seed, Map<String, Object> r, PrintStream out) {
    var snapshots = generate(100, seed, Instant.now()).rows().stream().map(LabelledSnapshot::snapshot).toList();
    var x = ensemble.encode(snapshots);
    var members = ensemble.members();
    long[] full = new long[repeats];
    long[] served = new long[repeats];
    long[] bare = new long[repeats];
    long[][] attribution = new long[members.size()][repeats];
    for (int i = -200; i < repeats; i++) {
      long t = System.nanoTime();
      var predictions = ensemble.predict(snapshots, EnsemblePredictor.EXPLANATION_FEATURES);
      long f = System.nanoTime() - t;
      if (predictions.size() != 100) throw new IllegalStateException("scored " + predictions.size() + " of 100 rows");
      t = System.nanoTime();
      var ranked = ensemble.rank(snapshots, EnsemblePredictor.DEFAULT_EXPLAIN_TOP);
      long s = System.nanoTime() - t;
      if (ranked.order().size() != 100) throw new IllegalStateException("ranked " + ranked.order().size() + " of 100 rows");
      t = System.nanoTime();
      for (Member m : members) m.logits(x);
      long b = System.nanoTime() - t;
      if (i >= 0) {
        full[i] = f;
        served[i] = s;
        bare[i] = b;
      }
      for (int m = 0; m < members.size(); m++) {
        t = System.nanoTime();
        members.get(m).attribute(x);
        if (i >= 0) attribution[m][i] = System.nanoTime() - t;
      }
    }
    r.put("score_jobs_100_p50_ms", Benchmark.pct(full, repeats, 0.50));
    r.put("score_jobs_100_p99_ms", Benchmark.pct(full, repeats, 0.99));
    r.put("score_jobs_100_bare_members_p50_ms", Benchmark.pct(bare, repeats, 0.50));
    r.put("score_jobs_100_bare_members_p99_ms", Benchmark.pct(bare, repeats, 0.99));
    r.put("score_jobs_overhead_ratio", Benchmark.pct(full, repeats, 0.99) / Benchmark.pct(bare, repeats, 0.99));
    r.put("score_jobs_100_served_p50_ms", Benchmark.pct(served, repeats, 0.50));
    r.put("score_jobs_100_served_p99_ms", Benchmark.pct(served, repeats, 0.99));
    r.put("score_jobs_served_overhead_ratio", Benchmark.pct(served, repeats, 0.99) / Benchmark.pct(bare, repeats, 0.99));
    for (int m = 0; m < members.size(); m++) {
      r.put("score_jobs_100_attribute_p50_ms_" + members.get(m).family(), Benchmark.pct(attribution[m], repeats, 0.50));
    }
    out.printf("[bench] score 100 jobs: p50 %.2f ms, p99 %.2f ms with every explanation; as served (ranked, top %d explained)"
            + " p50 %.2f ms, p99 %.2f ms; members' logits alone p99 %.2f ms%n",
        r.get("score_jobs_100_p50_ms"), r.get("score_jobs_100_p99_ms"), EnsemblePredictor.DEFAULT_EXPLAIN_TOP,
        r.get("score_jobs_100_served_p50_ms"), r.get("score_jobs_100_served_p99_ms"), r.get("score_jobs_100_bare_members_p99_ms"));
  }

  /**
   * {@code rerank_100_*}: what POST /api/v1/users/{id}/rerank computes for 100 jobs once the user's history is read:
   * the ensemble's probabilities without explanations ({@link Ensemble#rank} with explain 0, as
   * {@link EnsemblePredictor#predictRanked} serves them) and the policy ({@link io.hireloop.ranking.Reranker#result}:
   * MMR with λ .3, ε .1 over the top 10, propensities and reasons), each round another request id; then the policy
   * alone. The first 3,000 rounds warm up (the JIT compiles the policy's loops late: 200 rounds left p99 at 13 ms).
   */
  static void rerank(Ensemble ensemble, int repeats, long seed, Map<String, Object> r, PrintStream out) {
    var snapshots = generate(100, seed, Instant.now()).rows().stream().map(LabelledSnapshot::snapshot).toList();
    var settings = new io.hireloop.ranking.RankingPolicy.Settings(0.3, 0.1, 10);
    long[] full = new long[repeats];
    long[] policy = new long[repeats];
    for (int i = -3000; i < repeats; i++) {
      var request = new io.hireloop.ranking.Reranker.Request("bench-" + i, io.hireloop.ranking.RankingPolicy.seedOf("bench-" + i), "u-bench", List.of());
      long t = System.nanoTime();
      var ranked = ensemble.rank(snapshots, 0);
      var candidates = new ArrayList<io.hireloop.ranking.RankingPolicy.Candidate>(snapshots.size());
      for (int j = 0; j < snapshots.size(); j++) {
        var job = snapshots.get(j).context().jobCharacteristics();
        candidates.add(new io.hireloop.ranking.RankingPolicy.Candidate("job-" + j, ranked.predictions().get(j).probability(),
            java.util.Arrays.asList(job.industry(), job.company(), job.seniority(), job.location())));
      }
      var result = io.hireloop.ranking.Reranker.result(request, 1, candidates, settings);
      long f = System.nanoTime() - t;
      t = System.nanoTime();
      var again = io.hireloop.ranking.Reranker.result(request, 1, candidates, settings);
      long p = System.nanoTime() - t;
      if (result.jobs().size() != 100 || !again.equals(result)) throw new IllegalStateException("rerank of 100 jobs went wrong");
      if (i >= 0) {
        full[i] = f;
        policy[i] = p;
      }
    }
    r.put("rerank_100_p50_ms", Benchmark.pct(full, repeats, 0.50));
    r.put("rerank_100_p99_ms", Benchmark.pct(full, repeats, 0.99));
    r.put("rerank_100_policy_p50_ms", Benchmark.pct(policy, repeats, 0.50));
    r.put("rerank_100_policy_p99_ms", Benchmark.pct(policy, repeats, 0.99));
    out.printf("[bench] rerank 100 jobs: p50 %.2f ms, p99 %.2f ms (scoring + policy; goal p99 < 10 ms); the policy alone p50 %.2f ms,"
            + " p99 %.2f ms%n", r.get("rerank_100_p50_ms"), r.get("rerank_100_p99_ms"), r.get("rerank_100_policy_p50_ms"),
        r.get("rerank_100_policy_p99_ms"));
  }

  private static double seconds(Long from, Long to) {
    return from == null || to == null ? 0 : (to - from) / 1e9;
  }
}
