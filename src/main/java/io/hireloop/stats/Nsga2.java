package io.hireloop.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * NSGA-II (Deb, Pratap, Agarwal and Meyarivan 2002) for continuous, box-constrained problems with any
 * number of objectives, all minimised: fast non-dominated sorting, crowding distance, binary tournament
 * on (rank, crowding), simulated binary crossover (SBX, η_c = 20, probability 0.9) and polynomial
 * mutation (η_m = 20, probability 1/n per variable), both in the bounded forms of Deb's reference code.
 * Seeded: the same seed gives the same front.
 */
public final class Nsga2 {
  /** A box-constrained problem: bounds per variable and the objective vector of a point. */
  public record Problem(String name, double[] lower, double[] upper, Function<double[], double[]> objectives) {
    public int variables() {
      return lower.length;
    }
  }

  /** A point of the final population: its variables and objectives. */
  public record Solution(double[] x, double[] f) {}

  public static final double ETA_CROSSOVER = 20;
  public static final double ETA_MUTATION = 20;
  public static final double P_CROSSOVER = 0.9;

  private final Problem problem;
  private final int populationSize;
  private final SplittableRandom rnd;

  /** @param populationSize even, at least 4 */
  public Nsga2(Problem problem, int populationSize, long seed) {
    if (populationSize < 4 || populationSize % 2 != 0) throw new IllegalArgumentException("population size must be even and >= 4");
    this.problem = problem;
    this.populationSize = populationSize;
    this.rnd = new SplittableRandom(seed);
  }

  /**
   * Runs until {@code evaluations} objective evaluations are spent (the initial population counts;
   * each generation costs one population) and returns the first non-dominated front of the final
   * population.
   */
  public List<Solution> run(int evaluations) {
    int n = problem.variables();
    List<Solution> pop = new ArrayList<>();
    for (int i = 0; i < populationSize; i++) {
      double[] x = new double[n];
      for (int j = 0; j < n; j++) x[j] = problem.lower()[j] + rnd.nextDouble() * (problem.upper()[j] - problem.lower()[j]);
      pop.add(evaluate(x));
    }
    int used = populationSize;
    int[] rank = new int[populationSize];
    double[] crowd = new double[populationSize];
    rankAndCrowd(pop, rank, crowd);
    while (used + populationSize <= evaluations) {
      List<Solution> offspring = new ArrayList<>(populationSize);
      while (offspring.size() < populationSize) {
        Solution p1 = pop.get(tournament(rank, crowd));
        Solution p2 = pop.get(tournament(rank, crowd));
        double[][] children = crossover(p1.x(), p2.x());
        for (double[] c : children) {
          if (offspring.size() < populationSize) {
            mutate(c);
            offspring.add(evaluate(c));
          }
        }
      }
      used += populationSize;
      List<Solution> union = new ArrayList<>(pop);
      union.addAll(offspring);
      pop = select(union);
      rankAndCrowd(pop, rank, crowd);
    }
    List<Solution> front = new ArrayList<>();
    for (int i = 0; i < pop.size(); i++) if (rank[i] == 0) front.add(pop.get(i));
    return front;
  }

  private Solution evaluate(double[] x) {
    return new Solution(x, problem.objectives().apply(x));
  }

  private int tournament(int[] rank, double[] crowd) {
    int a = rnd.nextInt(populationSize), b = rnd.nextInt(populationSize);
    if (rank[a] != rank[b]) return rank[a] < rank[b] ? a : b;
    if (crowd[a] != crowd[b]) return crowd[a] > crowd[b] ? a : b;
    return rnd.nextBoolean() ? a : b;
  }

  /** Elitist environmental selection: whole fronts while they fit, the last one by crowding distance. */
  private List<Solution> select(List<Solution> union) {
    List<List<Integer>> fronts = nonDominatedSort(union);
    List<Solution> next = new ArrayList<>(populationSize);
    for (List<Integer> front : fronts) {
      if (next.size() + front.size() <= populationSize) {
        for (int i : front) next.add(union.get(i));
      } else {
        double[] d = crowding(union, front);
        Integer[] order = new Integer[front.size()];
        for (int k = 0; k < order.length; k++) order[k] = k;
        Arrays.sort(order, (p, q) -> Double.compare(d[q], d[p]));
        for (int k = 0; next.size() < populationSize; k++) next.add(union.get(front.get(order[k])));
      }
      if (next.size() == populationSize) break;
    }
    return next;
  }

  private static void rankAndCrowd(List<Solution> pop, int[] rank, double[] crowd) {
    List<List<Integer>> fronts = nonDominatedSort(pop);
    for (int r = 0; r < fronts.size(); r++) {
      List<Integer> front = fronts.get(r);
      double[] d = crowding(pop, front);
      for (int k = 0; k < front.size(); k++) {
        rank[front.get(k)] = r;
        crowd[front.get(k)] = d[k];
      }
    }
  }

  static boolean dominates(double[] a, double[] b) {
    boolean strictly = false;
    for (int k = 0; k < a.length; k++) {
      if (a[k] > b[k]) return false;
      if (a[k] < b[k]) strictly = true;
    }
    return strictly;
  }

  /** Deb's fast non-dominated sort, O(M·N²): the fronts as lists of indices, best first. */
  static List<List<Integer>> nonDominatedSort(List<Solution> pop) {
    int n = pop.size();
    List<List<Integer>> dominated = new ArrayList<>(n);
    int[] count = new int[n];
    List<List<Integer>> fronts = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      dominated.add(new ArrayList<>());
    }
    for (int p = 0; p < n; p++) {
      for (int q = p + 1; q < n; q++) {
        if (dominates(pop.get(p).f(), pop.get(q).f())) {
          dominated.get(p).add(q);
          count[q]++;
        } else if (dominates(pop.get(q).f(), pop.get(p).f())) {
          dominated.get(q).add(p);
          count[p]++;
        }
      }
    }
    for (int p = 0; p < n; p++) if (count[p] == 0) current.add(p);
    while (!current.isEmpty()) {
      fronts.add(current);
      List<Integer> next = new ArrayList<>();
      for (int p : current) {
        for (int q : dominated.get(p)) if (--count[q] == 0) next.add(q);
      }
      current = next;
    }
    return fronts;
  }

  /** Crowding distance of each member of a front (boundary points get +∞), in the front's order. */
  static double[] crowding(List<Solution> pop, List<Integer> front) {
    int size = front.size();
    double[] d = new double[size];
    if (size <= 2) {
      Arrays.fill(d, Double.POSITIVE_INFINITY);
      return d;
    }
    int m = pop.get(front.get(0)).f().length;
    Integer[] order = new Integer[size];
    for (int obj = 0; obj < m; obj++) {
      final int o = obj;
      for (int k = 0; k < size; k++) order[k] = k;
      Arrays.sort(order, Comparator.comparingDouble(k -> pop.get(front.get(k)).f()[o]));
      double min = pop.get(front.get(order[0])).f()[o];
      double max = pop.get(front.get(order[size - 1])).f()[o];
      d[order[0]] = Double.POSITIVE_INFINITY;
      d[order[size - 1]] = Double.POSITIVE_INFINITY;
      if (max - min <= 0) continue;
      for (int k = 1; k < size - 1; k++) {
        double next = pop.get(front.get(order[k + 1])).f()[o];
        double prev = pop.get(front.get(order[k - 1])).f()[o];
        d[order[k]] += (next - prev) / (max - min);
      }
    }
    return d;
  }

  /** Bounded SBX: each variable is recombined with probability 0.5 when the pair crosses over. */
  private double[][] crossover(double[] p1, double[] p2) {
    double[] c1 = p1.clone(), c2 = p2.clone();
    if (rnd.nextDouble() > P_CROSSOVER) return new double[][] {c1, c2};
    for (int j = 0; j < p1.length; j++) {
      if (rnd.nextDouble() > 0.5 || Math.abs(p1[j] - p2[j]) <= 1e-14) continue;
      double y1 = Math.min(p1[j], p2[j]), y2 = Math.max(p1[j], p2[j]);
      double lo = problem.lower()[j], hi = problem.upper()[j];
      double u = rnd.nextDouble();
      double beta = 1 + 2 * (y1 - lo) / (y2 - y1);
      double alpha = 2 - Math.pow(beta, -(ETA_CROSSOVER + 1));
      double betaq = betaQ(u, alpha);
      double child1 = 0.5 * ((y1 + y2) - betaq * (y2 - y1));
      beta = 1 + 2 * (hi - y2) / (y2 - y1);
      alpha = 2 - Math.pow(beta, -(ETA_CROSSOVER + 1));
      betaq = betaQ(u, alpha);
      double child2 = 0.5 * ((y1 + y2) + betaq * (y2 - y1));
      child1 = Math.min(Math.max(child1, lo), hi);
      child2 = Math.min(Math.max(child2, lo), hi);
      if (rnd.nextBoolean()) {
        c1[j] = child2;
        c2[j] = child1;
      } else {
        c1[j] = child1;
        c2[j] = child2;
      }
    }
    return new double[][] {c1, c2};
  }

  private static double betaQ(double u, double alpha) {
    return u <= 1 / alpha
        ? Math.pow(u * alpha, 1 / (ETA_CROSSOVER + 1))
        : Math.pow(1 / (2 - u * alpha), 1 / (ETA_CROSSOVER + 1));
  }

  /** Bounded polynomial mutation, each variable with probability 1/n. */
  private void mutate(double[] x) {
    double pm = 1.0 / x.length;
    for (int j = 0; j < x.length; j++) {
      if (rnd.nextDouble() >= pm) continue;
      double lo = problem.lower()[j], hi = problem.upper()[j];
      if (hi <= lo) continue;
      double y = x[j];
      double d1 = (y - lo) / (hi - lo), d2 = (hi - y) / (hi - lo);
      double u = rnd.nextDouble();
      double power = 1 / (ETA_MUTATION + 1);
      double dq;
      if (u < 0.5) {
        double v = 2 * u + (1 - 2 * u) * Math.pow(1 - d1, ETA_MUTATION + 1);
        dq = Math.pow(v, power) - 1;
      } else {
        double v = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(1 - d2, ETA_MUTATION + 1);
        dq = 1 - Math.pow(v, power);
      }
      x[j] = Math.min(Math.max(y + dq * (hi - lo), lo), hi);
    }
  }

  // ---- benchmark problems (Zitzler, Deb and Thiele 2000), 30 variables in [0, 1] ----

  public static Problem zdt1() {
    return zdt("zdt1", (f1, g) -> 1 - Math.sqrt(f1 / g));
  }

  public static Problem zdt2() {
    return zdt("zdt2", (f1, g) -> 1 - (f1 / g) * (f1 / g));
  }

  public static Problem zdt3() {
    return zdt("zdt3", (f1, g) -> 1 - Math.sqrt(f1 / g) - (f1 / g) * Math.sin(10 * Math.PI * f1));
  }

  public static Problem zdt(String name) {
    return switch (name) {
      case "zdt1" -> zdt1();
      case "zdt2" -> zdt2();
      case "zdt3" -> zdt3();
      default -> throw new IllegalArgumentException("unknown problem '" + name + "', expected zdt1, zdt2 or zdt3");
    };
  }

  private interface Shape {
    double h(double f1, double g);
  }

  private static Problem zdt(String name, Shape shape) {
    int n = 30;
    double[] lo = new double[n], hi = new double[n];
    Arrays.fill(hi, 1);
    return new Problem(name, lo, hi, x -> {
      double sum = 0;
      for (int i = 1; i < n; i++) sum += x[i];
      double g = 1 + 9 * sum / (n - 1);
      double f1 = x[0];
      return new double[] {f1, g * shape.h(f1, g)};
    });
  }

  /** Hypervolume of two-objective points (minimised) with respect to a reference point. */
  public static final class Hypervolume {
    private Hypervolume() {}

    /**
     * The area dominated by the points and bounded by the reference point; points that do not strictly
     * dominate the reference contribute nothing. Sweep over f1 ascending, O(n log n).
     */
    public static double of2d(List<double[]> points, double refX, double refY) {
      List<double[]> in = new ArrayList<>();
      for (double[] p : points) if (p[0] < refX && p[1] < refY) in.add(p);
      in.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
      double area = 0;
      double lastY = refY;
      for (double[] p : in) {
        if (p[1] < lastY) {
          area += (refX - p[0]) * (lastY - p[1]);
          lastY = p[1];
        }
      }
      return area;
    }

    public static double ofFront(List<Solution> front, double refX, double refY) {
      return of2d(front.stream().map(Solution::f).toList(), refX, refY);
    }
  }
}
