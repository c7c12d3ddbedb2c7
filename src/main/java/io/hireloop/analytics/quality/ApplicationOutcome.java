package io.hireloop.analytics.quality;

import java.time.Instant;

/**
 * One application as the calibration and timing analyses see it: the resume score it was sent with, when it
 * was submitted, whether the employer responded (any answer, a rejection included), whether an interview was
 * reached, and whether its outcome is known yet.
 */
public record ApplicationOutcome(double resumeScore, Instant submittedAt, boolean responded, boolean interviewed, boolean labelled) {}
