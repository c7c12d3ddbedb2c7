package io.hireloop.cli.analyze;

import io.hireloop.stats.causal.Bootstrap;
import io.hireloop.stats.causal.Causal;
import io.hireloop.stats.causal.CausalEstimate;
import io.hireloop.stats.causal.DesignRefuters;
import io.hireloop.stats.causal.DifferenceInDifferences;
import io.hireloop.stats.causal.InstrumentalVariables;
import io.hireloop.stats.causal.RegressionDiscontinuity;
import io.hireloop.stats.causal.Refuters;
import io.hireloop.stats.causal.WildClusterBootstrap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code analyze causal --csv F --method psm|ipw|dr|iv|did|rd --treatment COL --outcome COL [--covariates A,B]
 * [--estimand ate|att] [--instrument COL] [--group COL --time COL] [--running COL --cutoff X] [--bootstrap N]
 * [--seed S]}.
 *
 * <ul>
 *   <li>psm: 1:1 nearest-neighbour matching on the logit propensity score, caliper 0.2 sd, with replacement
 *       (estimand att by default, or ate).</li>
 *   <li>ipw: Hajek inverse-propensity weighting (ate by default, or att). dr: AIPW, ate only.</li>
 *   <li>iv: 2SLS of outcome on treatment instrumented by {@code --instrument}, covariates exogenous, HC1
 *       robust SE; the treatment may be any number here; naive_difference is then the OLS coefficient. Beside the
 *       Wald interval: {@code first_stage_f} and the Anderson–Rubin set {@code ar_confidence_set}.</li>
 *   <li>did: {@code --treatment} is the 0/1 treated-group indicator, {@code --time} the 0/1 post-period
 *       indicator, {@code --group} (optional) a unit or group id to cluster the standard error by (CR1). With fewer
 *       than {@link DifferenceInDifferences#FEW_CLUSTERS} clusters the p-value and interval come from the restricted
 *       wild cluster bootstrap instead, {@code --bootstrap N} setting its draws.</li>
 *   <li>rd: sharp design on {@code --running} at {@code --cutoff} (treated when running ≥ cutoff);
 *       {@code --treatment} is not used and may be omitted.</li>
 * </ul>
 * Refuters (20 simulations each, seeded by {@code --seed}) run for every method; a failed refuter adds a warning.
 * psm, ipw, dr: placebo treatment, random common cause, 80% subsets ({@link Refuters}). iv: placebo (permuted)
 * instrument, random common cause, 80% subsets; did: placebo treatment (group labels permuted across
 * {@code --group} units, or rows), random common cause, 80% subsets (of units); rd: placebo cutoffs at the
 * median of the running variable below and above the cutoff, 80% subsets — no random common cause, as the RD
 * estimator takes no covariates ({@link DesignRefuters}). {@code --bootstrap N} replaces the interval and standard error with a seeded percentile bootstrap of rows (except
 * for did with few clusters, see above). {@code warnings} name failed assumptions, {@code notes} how the numbers were
 * obtained.
 */
public final class CausalAnalysis {
  static final int REFUTER_SIMULATIONS = 20;

  private CausalAnalysis() {}

  public static Map<String, Object> run(Analyze.Args args) {
    var method = args.required("method");
    if (!List.of("psm", "ipw", "dr", "iv", "did", "rd").contains(method)) {
      throw new AnalyzeError("--method must be one of psm, ipw, dr, iv, did, rd; got '" + method + "'");
    }
    var csv = Csv.read(args.required("csv"));
    var numeric = new ArrayList<String>();
    numeric.add(args.required("outcome"));
    numeric.addAll(covariateNames(args));
    switch (method) {
      case "iv" -> {
        numeric.add(args.required("treatment"));
        numeric.add(args.required("instrument"));
      }
      case "did" -> {
        numeric.add(args.required("treatment"));
        numeric.add(args.required("time"));
      }
      case "rd" -> numeric.add(args.required("running"));
      default -> numeric.add(args.required("treatment"));
    }
    var text = args.values().containsKey("group") ? List.of(args.required("group")) : List.<String>of();
    csv.load(new java.util.LinkedHashSet<>(numeric), text);
    var outcome = csv.numbers(args.required("outcome"));
    int n = csv.size();
    var names = covariateNames(args);
    var x = new double[n][names.size()];
    for (int j = 0; j < names.size(); j++) {
      var col = csv.numbers(names.get(j));
      for (int i = 0; i < n; i++) x[i][j] = col[i];
    }
    int bootstrap = (int) args.number("bootstrap", 0);
    long seed = (long) args.number("seed", 1);
    if (bootstrap < 0) throw new AnalyzeError("--bootstrap must be ≥ 0");
    CausalEstimate result;
    Bootstrap.Estimator resampled;
    var design = Design.NONE;
    try {
      switch (method) {
        case "psm", "ipw", "dr" -> {
          var t = csv.binary(args.required("treatment"));
          checkArms(t, method, names.size());
          var estimand = args.get("estimand", method.equals("ipw") || method.equals("dr") ? "ate" : "att");
          if (!estimand.equals("ate") && !estimand.equals("att")) throw new AnalyzeError("--estimand must be ate or att, got '" + estimand + "'");
          if (method.equals("dr") && !estimand.equals("ate")) throw new AnalyzeError("--method dr estimates the ate only");
          if (names.isEmpty()) throw new AnalyzeError("--covariates is required for --method " + method);
          result = switch (method) {
            case "psm" -> Causal.psm(names, x, t, outcome, estimand);
            case "ipw" -> Causal.ipw(names, x, t, outcome, estimand);
            default -> Causal.doublyRobust(names, x, t, outcome);
          };
          var est = Causal.estimator(method, estimand);
          result = result.withRefutations(Refuters.all(outcome, t, x, est, result.estimate(), REFUTER_SIMULATIONS, seed));
          resampled = rows -> est.estimate(Refuters.pick(outcome, rows), Refuters.pick(t, rows), Refuters.pick(x, rows));
        }
        case "iv" -> {
          var d = csv.numbers(args.required("treatment"));
          var z = column(csv.numbers(args.required("instrument")));
          if (n < names.size() + 10) throw new AnalyzeError("too few rows for iv: " + n + " (need at least " + (names.size() + 10) + ")");
          var w = names.isEmpty() ? null : x;
          var r = InstrumentalVariables.twoStage(outcome, d, z, w, true);
          boolean binary = Arrays.stream(d).allMatch(v -> v == 0 || v == 1);
          int nT = binary ? (int) Arrays.stream(d).filter(v -> v == 1).count() : n;
          int nC = binary ? n - nT : 0;
          var ar = InstrumentalVariables.andersonRubin(outcome, d, z, w, true, 0.95);
          var warnings = new ArrayList<>(r.warnings());
          if (!ar.bounded()) {
            warnings.add("the Anderson–Rubin 95% confidence set is unbounded: the data cannot rule out arbitrarily large "
                + "effects; do not read the Wald interval as precise");
          }
          var notes = List.of(String.format("first-stage F = %.3f (p = %.3g); OLS estimate %.4f", r.firstStageF(), r.firstStageP(),
              r.olsEstimate()), "ci_low/ci_high: Wald (HC1); ar_confidence_set: Anderson–Rubin (" + ar.kind()
              + "), valid however weak the instrument");
          double naive = binary && nT > 0 && nC > 0 ? meanWhere(outcome, d, 1) - meanWhere(outcome, d, 0) : r.olsEstimate();
          result = normal("iv", "late", r.estimate(), r.stdError(), nT, nC, naive, warnings).with(List.of(), notes);
          design = new Design(r.firstStageF(), ar, null, null);
          result = result.withRefutations(DesignRefuters.iv(outcome, d, z, w, r.estimate(), REFUTER_SIMULATIONS, seed));
          resampled = rows -> InstrumentalVariables.twoStage(Refuters.pick(outcome, rows), Refuters.pick(d, rows), Refuters.pick(z, rows),
              w == null ? null : Refuters.pick(w, rows), true).estimate();
        }
        case "did" -> {
          var treat = csv.binary(args.required("treatment"));
          var post = csv.binary(args.required("time"));
          String[] clusters = args.values().containsKey("group") ? csv.strings(args.required("group")) : null;
          if (n < 8 + names.size()) throw new AnalyzeError("too few rows for did: " + n);
          var cov = names.isEmpty() ? null : x;
          var r = DifferenceInDifferences.estimate(outcome, treat, post, cov, clusters);
          int g = clusters == null ? 0 : DifferenceInDifferences.clusterCount(clusters);
          if (clusters != null && g < 2) throw new AnalyzeError("--group " + args.required("group") + " has a single value: nothing to cluster by");
          boolean few = clusters != null && g < DifferenceInDifferences.FEW_CLUSTERS;
          var notes = new ArrayList<String>();
          notes.add(String.format("four-means difference-in-differences: %.4f", r.fourMeans()));
          int nT = 0;
          for (int v : treat) nT += v;
          double naive = naivePost(outcome, treat, post);
          result = normal("did", "did", r.estimate(), r.stdError(), nT, n - nT, naive, List.of());
          if (few) {
            int draws = bootstrap > 0 ? bootstrap : WildClusterBootstrap.DEFAULT_DRAWS;
            var wild = DifferenceInDifferences.wildBootstrap(outcome, treat, post, cov, clusters, draws, seed);
            var warnings = new ArrayList<String>();
            warnings.add(String.format("few clusters: %d (< %d) in --group %s; the cluster-robust (CR1) standard error "
                + "%.4g is unreliable, so p-value and interval come from the wild cluster bootstrap", g,
                DifferenceInDifferences.FEW_CLUSTERS, args.required("group"), wild.crStdError()));
            int treatedClusters = treatedClusters(treat, clusters);
            if (Math.min(treatedClusters, g - treatedClusters) < 3) {
              warnings.add(String.format("only %d treated and %d untreated cluster(s): with so few on either side even "
                  + "the wild cluster bootstrap cannot give reliable inference (MacKinnon & Webb 2017); treat the "
                  + "p-value and interval as indicative at best", treatedClusters, g - treatedClusters));
            }
            if (wild.enumerated() && wild.draws() < 100) {
              warnings.add(String.format("the bootstrap has only %d distinct weight vectors: no p-value below %.3f is "
                  + "possible", wild.draws(), 1.0 / wild.draws()));
            }
            if (!Double.isFinite(wild.ciLow()) || !Double.isFinite(wild.ciHigh())) {
              warnings.add("the wild cluster bootstrap 95% interval is unbounded (a null end is infinite): these clusters "
                  + "cannot pin the effect down");
            }
            notes.add(String.format("restricted wild cluster bootstrap (WCR), %s weights, %s%d draws; interval by test "
                + "inversion; std_error = interval half-width / 1.96", wild.weights(), wild.enumerated() ? "all " : "",
                wild.draws()));
            result = result.withInference(wild.stdError(), wild.ciLow(), wild.ciHigh(), wild.pValue()).with(warnings, notes);
            design = new Design(null, null, wild, g);
          } else {
            notes.add(clusters == null ? "standard error: classical (no --group)"
                : "standard error: CR1 clustered by " + args.required("group") + " (" + g + " clusters), normal reference");
            result = result.with(List.of(), notes);
            if (clusters != null) design = new Design(null, null, null, g);
          }
          result = result.withRefutations(DesignRefuters.did(outcome, treat, post, cov, clusters, r.estimate(),
              REFUTER_SIMULATIONS, seed));
          resampled = rows -> DifferenceInDifferences.estimate(Refuters.pick(outcome, rows), Refuters.pick(treat, rows), Refuters.pick(post, rows),
              cov == null ? null : Refuters.pick(cov, rows), null).estimate();
        }
        default -> {
          var running = csv.numbers(args.required("running"));
          double cutoff = args.requiredNumber("cutoff");
          var r = RegressionDiscontinuity.sharp(running, outcome, cutoff, Double.NaN);
          int nT = 0;
          for (double v : running) if (v >= cutoff) nT++;
          var t = new int[n];
          for (int i = 0; i < n; i++) t[i] = running[i] >= cutoff ? 1 : 0;
          double naive = nT > 0 && nT < n ? meanWhere(outcome, toDouble(t), 1) - meanWhere(outcome, toDouble(t), 0) : Double.NaN;
          var notes = List.of(String.format("bandwidth %.6g (Imbens–Lemieux cross-validation), %d rows below and %d at or above "
              + "the cutoff within it, triangular kernel", r.bandwidth(), r.nLeft(), r.nRight()));
          result = normal("rd", "rd_sharp", r.estimate(), r.stdError(), nT, n - nT, naive, List.of()).with(List.of(), notes);
          double h = r.bandwidth();
          result = result.withRefutations(DesignRefuters.rd(running, outcome, cutoff, h, r.estimate(), REFUTER_SIMULATIONS, seed));
          resampled = rows -> RegressionDiscontinuity.sharp(Refuters.pick(running, rows), Refuters.pick(outcome, rows), cutoff, h).estimate();
        }
      }
      if (bootstrap > 0 && design.wild() == null) {
        var ci = Bootstrap.percentile(n, resampled, bootstrap, seed, 0.95);
        result = result.withInterval(ci.low(), ci.high(), ci.stdError());
        if (ci.failed() > 0) {
          result = result.with(List.of(ci.failed() + " of " + bootstrap + " bootstrap resamples gave no estimate and were skipped"),
              List.of());
        }
        result = result.with(List.of(), List.of("ci_low/ci_high and std_error: percentile bootstrap of rows, " + bootstrap
            + " resamples (replaces the analytic interval)"));
      }
    } catch (AnalyzeError e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new AnalyzeError(method + ": " + e.getMessage());
    }
    return toJson(result, design);
  }

  /** Method-specific inference shown beside the estimate: IV first stage and AR set, DiD clusters and bootstrap. */
  record Design(Double firstStageF, InstrumentalVariables.ConfidenceSet anderson, WildClusterBootstrap.Result wild,
      Integer clusters) {
    static final Design NONE = new Design(null, null, null, null);
  }

  private static int treatedClusters(int[] treat, String[] clusters) {
    var treated = new java.util.HashSet<String>();
    for (int i = 0; i < treat.length; i++) if (treat[i] == 1) treated.add(clusters[i]);
    return treated.size();
  }

  private static CausalEstimate normal(String method, String estimand, double est, double se, int nT, int nC, double naive,
      List<String> warnings) {
    double z = 1.959963984540054;
    double p = 2 * new org.hipparchus.distribution.continuous.NormalDistribution(0, 1).cumulativeProbability(-Math.abs(est / se));
    return new CausalEstimate(method, estimand, est, se, est - z * se, est + z * se, p, nT, nC, naive, List.of(), List.of(), warnings);
  }

  private static List<String> covariateNames(Analyze.Args args) {
    var v = args.values().get("covariates");
    if (v == null) return List.of();
    if (v.equals("true") || v.isBlank()) throw new AnalyzeError("--covariates needs a comma-separated list of columns");
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static void checkArms(int[] t, String method, int p) {
    int n1 = 0;
    for (int v : t) n1 += v;
    int n0 = t.length - n1;
    if (n1 == 0) throw new AnalyzeError("no treated rows (treatment = 1): " + method + " needs both treated and controls");
    if (n0 == 0) throw new AnalyzeError("no control rows (treatment = 0): " + method + " needs both treated and controls");
    int need = Math.max(10, 2 * (p + 2));
    if (t.length < need) throw new AnalyzeError("too few rows for " + method + ": " + t.length + " (need at least " + need + ")");
    if (n1 < 2 || n0 < 2 || (method.equals("dr") && (n1 <= p + 1 || n0 <= p + 1))) {
      throw new AnalyzeError("too few rows for " + method + ": " + n1 + " treated and " + n0 + " controls");
    }
  }

  private static double naivePost(double[] y, int[] treat, int[] post) {
    double s1 = 0, s0 = 0;
    int c1 = 0, c0 = 0;
    for (int i = 0; i < y.length; i++) {
      if (post[i] != 1) continue;
      if (treat[i] == 1) {
        s1 += y[i];
        c1++;
      } else {
        s0 += y[i];
        c0++;
      }
    }
    return s1 / c1 - s0 / c0;
  }

  private static double meanWhere(double[] y, double[] d, double value) {
    double s = 0;
    int c = 0;
    for (int i = 0; i < y.length; i++) {
      if (d[i] == value) {
        s += y[i];
        c++;
      }
    }
    return s / c;
  }

  private static double[] toDouble(int[] t) {
    return Arrays.stream(t).asDoubleStream().toArray();
  }

  private static double[][] column(double[] v) {
    var out = new double[v.length][1];
    for (int i = 0; i < v.length; i++) out[i][0] = v[i];
    return out;
  }

  private static Object num(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static Map<String, Object> toJson(CausalEstimate r) {
    return toJson(r, Design.NONE);
  }

  static Map<String, Object> toJson(CausalEstimate r, Design design) {
    var out = new LinkedHashMap<String, Object>();
    out.put("method", r.method());
    out.put("estimand", r.estimand());
    out.put("estimate", num(r.estimate()));
    out.put("std_error", num(r.stdError()));
    out.put("ci_low", num(r.ciLow()));
    out.put("ci_high", num(r.ciHigh()));
    out.put("p_value", num(r.pValue()));
    out.put("n_treated", r.nTreated());
    out.put("n_control", r.nControl());
    out.put("naive_difference", num(r.naiveDifference()));
    var balance = new ArrayList<Map<String, Object>>();
    for (var b : r.balance()) {
      var m = new LinkedHashMap<String, Object>();
      m.put("covariate", b.covariate());
      m.put("smd_before", num(b.smdBefore()));
      m.put("smd_after", num(b.smdAfter()));
      balance.add(m);
    }
    out.put("balance", balance);
    var refutations = new ArrayList<Map<String, Object>>();
    for (var f : r.refutations()) {
      var m = new LinkedHashMap<String, Object>();
      m.put("name", f.name());
      m.put("new_estimate", num(f.newEstimate()));
      m.put("p_value", num(f.pValue()));
      m.put("passed", f.passed());
      refutations.add(m);
    }
    out.put("refutations", refutations);
    if (design.firstStageF() != null) out.put("first_stage_f", num(design.firstStageF()));
    if (design.anderson() != null) {
      var set = new ArrayList<List<Object>>();
      for (var iv : design.anderson().intervals()) set.add(java.util.Arrays.asList(num(iv[0]), num(iv[1])));
      out.put("ar_confidence_set", set);
    }
    if (design.clusters() != null) out.put("clusters", design.clusters());
    if (design.wild() != null) {
      var w = new LinkedHashMap<String, Object>();
      w.put("weights", design.wild().weights());
      w.put("draws", design.wild().draws());
      w.put("enumerated", design.wild().enumerated());
      w.put("cr1_std_error", num(design.wild().crStdError()));
      out.put("wild_bootstrap", w);
    }
    out.put("warnings", r.warnings());
    out.put("notes", r.notes());
    return out;
  }
}
