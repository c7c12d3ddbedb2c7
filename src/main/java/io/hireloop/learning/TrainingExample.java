package io.hireloop.learning;

import io.hireloop.journey.Domain.ApplicationContext;

/** One finished application: what was known when applying, and whether it led to an interview request. */
public record TrainingExample(String applicationId, ApplicationContext context, boolean interview) {}
