package io.hireloop.learning;

/** A model has no champion yet: predictions from it are unavailable (the API answers 503). */
public final class NoModelYet extends RuntimeException {
  NoModelYet(String model) {
    super("no " + model + " model has been trained yet: "
        + (model.equals(LearningCoordinator.MODEL) ? "ingest labelled outcomes or POST /api/v1/models/interview/train"
            : "it is trained right after the interview model (POST /api/v1/models/interview/train) once enough outcomes are known"));
  }
}
