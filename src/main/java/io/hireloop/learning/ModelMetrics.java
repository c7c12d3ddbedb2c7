package io.hireloop.learning;

/**
 * Quality of a trained model measured on its held-out split (never on the rows it was fitted to).
 *
 * @param auc ranking quality; 0.5 is chance
 * @param logLoss mean negative log-likelihood (natural log)
 * @param brier mean squared error of the probability
 * @param expectedCalibrationError 10-bin ECE
 * @param holdoutCount rows in the held-out split
 * @param holdoutPositiveRate share of interviews in the held-out split (the base rate the metrics sit on)
 */
public record ModelMetrics(
    double auc, double logLoss, double brier, double expectedCalibrationError, int holdoutCount,
    double holdoutPositiveRate) {}
