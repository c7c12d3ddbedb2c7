package io.hireloop.market;

import io.hireloop.journey.JourneyEvent;
import java.util.Optional;

/**
 * Reads a user's market-insights preference from the journal. The preference event
 * ({@code JourneyEvent.PreferencesChanged}, written by {@code POST /api/v1/users/{id}/preferences}) carries
 * {@code marketInsightsOptOut}; every other event says nothing about it.
 */
final class OptOut {
  private OptOut() {}

  /** The market-insights opt-out this event sets, if it is a preference event. */
  static Optional<Boolean> of(JourneyEvent e) {
    return e instanceof JourneyEvent.PreferencesChanged p ? Optional.of(p.marketInsightsOptOut()) : Optional.empty();
  }
}
