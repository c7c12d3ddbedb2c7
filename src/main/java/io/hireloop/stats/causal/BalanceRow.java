package io.hireloop.stats.causal;

/** Standardised mean difference of one covariate before and after matching or weighting. */
public record BalanceRow(String covariate, double smdBefore, double smdAfter) {}
