package io.hireloop.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.learning.InterviewModelTrainer.Settings;
import io.hireloop.stats.ClassificationMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterviewModelTest {

  @Test
  void learnsPlantedSignalCloseToTheOracle() {
    TrainedModel model = PlantedData.sharedModel();
    assertTrue(model.metrics().auc() > 0.7, "held-out AUC " + model.metrics());
    assertEquals(600, model.metrics().holdoutCount());
    assertEquals(2400, model.trainingExampleCount());

    // Compare with the best achievable ranking on the same fresh data: the true probabilities.
    PlantedData.Sample fresh = PlantedData.planted(5000, 99);
    double oracle = ClassificationMetrics.auc(fresh.trueProbability(), fresh.labels());
    double[] p = model.predict(fresh.contexts());
    double learned = ClassificationMetrics.auc(p, fresh.labels());
    System.out.printf("fresh-data AUC: learned %.4f, oracle %.4f; ECE %.4f%n", learned, oracle,
        ClassificationMetrics.expectedCalibrationError(p, fresh.labels(), 10));
    assertTrue(learned > oracle - 0.03, "learned " + learned + " vs oracle " + oracle);
    assertTrue(ClassificationMetrics.expectedCalibrationError(p, fresh.labels(), 10) < 0.05);
  }

  @Test
  void findsNothingInNoise() {
    TrainedModel model = new InterviewModelTrainer().train(PlantedData.noSignal(3000, 11).examples(),
        Settings.defaults(), InterviewModelTrainer.ProgressListener.NONE);
    System.out.println("no-signal metrics: " + model.metrics());
    assertTrue(model.metrics().auc() < 0.6, "no-signal AUC " + model.metrics().auc());
  }

  @Test
  void logisticRegressionAlsoLearnsAndReportsProgress() {
    List<double[]> progress = new ArrayList<>();
    TrainedModel model = new InterviewModelTrainer().train(PlantedData.planted(1000, 3).examples(),
        Settings.defaults().withHiddenSize(0).withEpochs(15),
        (epoch, epochs, loss) -> progress.add(new double[] {epoch, epochs, loss}));
    assertEquals(15, progress.size());
    assertEquals(1, progress.get(0)[0]);
    assertEquals(15, progress.get(14)[1]);
    assertTrue(progress.get(14)[2] < progress.get(0)[2], "loss should fall");
    assertTrue(model.metrics().auc() > 0.65, "logistic AUC " + model.metrics());
  }

  @Test
  void sameSeedSameModel() {
    List<TrainingExample> data = PlantedData.planted(500, 5).examples();
    Settings s = Settings.defaults().withEpochs(3);
    TrainedModel a = new InterviewModelTrainer().train(data, s, InterviewModelTrainer.ProgressListener.NONE);
    TrainedModel b = new InterviewModelTrainer().train(data, s, InterviewModelTrainer.ProgressListener.NONE);
    assertArrayEquals(a.predict(PlantedData.planted(50, 6).contexts()), b.predict(PlantedData.planted(50, 6).contexts()));
  }

  @Test
  void bytesRoundTripGivesIdenticalPredictions() {
    TrainedModel model = PlantedData.sharedModel();
    byte[] bytes = model.toBytes();
    TrainedModel restored = TrainedModel.fromBytes(bytes);
    var contexts = PlantedData.planted(200, 13).contexts();
    assertArrayEquals(model.predict(contexts), restored.predict(contexts));
    assertEquals(model.predict(contexts.get(0)), restored.predict(contexts.get(0)));
    assertEquals(model.metrics(), restored.metrics());
    assertEquals(model.trainingExampleCount(), restored.trainingExampleCount());
    assertEquals(0, restored.predict(List.of()).length);

    byte[] corrupt = bytes.clone();
    corrupt[0] ^= 1;
    assertThrows(IllegalArgumentException.class, () -> TrainedModel.fromBytes(corrupt));
  }

  @Test
  void rejectsSingleClassAndTinyData() {
    List<TrainingExample> allNo = PlantedData.planted(100, 1).examples().stream()
        .map(e -> new TrainingExample(e.applicationId(), e.context(), false)).toList();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new InterviewModelTrainer().train(allNo, Settings.defaults(), InterviewModelTrainer.ProgressListener.NONE));
    assertTrue(e.getMessage().contains("single-class"), e.getMessage());

    assertThrows(IllegalArgumentException.class, () -> new InterviewModelTrainer().train(
        PlantedData.planted(19, 1).examples(), Settings.defaults(), InterviewModelTrainer.ProgressListener.NONE));
  }

  @Test
  void backendIsCpuInTheDefaultBuild() {
    assertEquals("cpu", TrainedModel.backend());
  }
}
