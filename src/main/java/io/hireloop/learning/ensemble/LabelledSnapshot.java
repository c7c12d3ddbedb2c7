package io.hireloop.learning.ensemble;

import io.hireloop.learning.features.ApplicationSnapshot;

/** One training row: whose application, what was known when it was created, and its outcome. */
public record LabelledSnapshot(String userId, ApplicationSnapshot snapshot, boolean label) {}
