package io.hireloop.coldstart;

import io.hireloop.journey.Domain;

/**
 * One user as the cold start sees the population: their profile and how many of their applications reached an
 * interview request. Never leaves the server: answers show only aggregates over at least k peers.
 */
public record Peer(String userId, Domain.Profile profile, int applications, int interviews) {
  public Peer {
    if (profile == null) profile = Domain.Profile.EMPTY;
  }
}
