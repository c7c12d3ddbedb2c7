package io.hireloop.learning;

import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic applications whose interview probability is known exactly, so learned models can be checked. */
final class PlantedData {
  private PlantedData() {}

  static final String[] CATEGORIES = {"reach", "target", "safety"};
  static final String[] SENIORITIES = {"junior", "mid", "senior", "lead", "principal"};
  static final String[] STRATEGIES = {"aggressive", "balanced", "conservative", "experimental"};

  record Sample(List<TrainingExample> examples, double[] trueProbability) {
    List<ApplicationContext> contexts() {
      return examples.stream().map(TrainingExample::context).toList();
    }

    boolean[] labels() {
      boolean[] y = new boolean[examples.size()];
      for (int i = 0; i < y.length; i++) y[i] = examples.get(i).interview();
      return y;
    }
  }

  /** p = sigmoid(−3 + 4·fit/100 + 1.5·tailoring + 1.0·(resume/100 − 0.6) + category + seniority). */
  static double trueProbability(ApplicationContext c) {
    double categoryEffect = switch (c.category()) {
      case "reach" -> -0.5;
      case "safety" -> 0.5;
      default -> 0.0;
    };
    double seniorityEffect = c.jobCharacteristics().seniority().equals("lead") ? -0.5 : 0.0;
    double z = -3 + 4 * c.fitScore() / 100 + (c.tailoringApplied() ? 1.5 : 0) + (c.resumeScore() / 100 - 0.6)
        + categoryEffect + seniorityEffect;
    return 1 / (1 + Math.exp(-z));
  }

  static Sample planted(int n, long seed) {
    return generate(n, seed, false);
  }

  /** Same features, but the label ignores them: base rate 0.3. */
  static Sample noSignal(int n, long seed) {
    return generate(n, seed, true);
  }

  private static Sample generate(int n, long seed, boolean noSignal) {
    Random r = new Random(seed);
    List<TrainingExample> out = new ArrayList<>(n);
    double[] truth = new double[n];
    for (int i = 0; i < n; i++) {
      ApplicationContext c = new ApplicationContext(
          STRATEGIES[r.nextInt(STRATEGIES.length)],
          Math.round(r.nextDouble() * 1000) / 10.0,
          CATEGORIES[r.nextInt(CATEGORIES.length)],
          new JobCharacteristics("Engineer", "Acme " + r.nextInt(50), SENIORITIES[r.nextInt(SENIORITIES.length)],
              "Remote", "software"),
          30 + r.nextDouble() * 65,
          r.nextBoolean());
      truth[i] = noSignal ? 0.3 : trueProbability(c);
      out.add(new TrainingExample("app-" + i, c, r.nextDouble() < truth[i]));
    }
    return new Sample(out, truth);
  }

  private static TrainedModel shared;
  static long sharedTrainingMillis;

  /** One model trained on 3,000 planted examples, shared by the test classes of this JVM to keep the suite fast. */
  static synchronized TrainedModel sharedModel() {
    if (shared == null) {
      long load = System.nanoTime();
      String backend = TrainedModel.backend(); // loads ND4J's native libraries, kept out of the training time
      System.out.printf("ND4J %s backend loaded in %d ms%n", backend, (System.nanoTime() - load) / 1_000_000);
      long start = System.nanoTime();
      shared = new InterviewModelTrainer().train(planted(3000, 7).examples(), InterviewModelTrainer.Settings.defaults(),
          (epoch, epochs, loss) -> System.out.printf("epoch %d/%d loss %.4f%n", epoch, epochs, loss));
      sharedTrainingMillis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("trained on %d rows in %d ms (backend %s): %s%n", shared.trainingExampleCount(),
          sharedTrainingMillis, backend, shared.metrics());
    }
    return shared;
  }
}
