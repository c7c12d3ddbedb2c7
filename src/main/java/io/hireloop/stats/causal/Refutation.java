package io.hireloop.stats.causal;

/** The outcome of one refuter: the re-estimated effect, its p-value and whether the estimate survived. */
public record Refutation(String name, double newEstimate, double pValue, boolean passed) {}
