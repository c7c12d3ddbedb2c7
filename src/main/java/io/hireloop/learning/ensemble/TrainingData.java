package io.hireloop.learning.ensemble;

/**
 * The rows a member is fitted on and the validation rows it may use for early stopping (never the holdout).
 * Labels are 0/1. Rows of {@code x} and {@code validationX} have {@code columns} entries each.
 */
public record TrainingData(float[][] x, float[] y, float[][] validationX, float[] validationY, int columns) {
  public TrainingData {
    if (x.length != y.length) throw new IllegalArgumentException("x has " + x.length + " rows, y " + y.length);
    if (validationX.length != validationY.length) {
      throw new IllegalArgumentException("validation x has " + validationX.length + " rows, y " + validationY.length);
    }
    for (float[] row : x) if (row.length != columns) throw new IllegalArgumentException("a row has " + row.length + " columns, expected " + columns);
    for (float[] row : validationX) if (row.length != columns) throw new IllegalArgumentException("a validation row has " + row.length + " columns, expected " + columns);
  }
}
