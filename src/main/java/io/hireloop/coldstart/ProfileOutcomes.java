package io.hireloop.coldstart;

import io.hireloop.journey.Domain;
import io.hireloop.journey.JourneyEvent;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One user's row of {@code user_profiles}: the newest profile and which applications reached an interview request
 * (API.md: phone_screen, interview or an offer state). Folding is idempotent: events at or below {@code asOfSeqNr} are
 * ignored, and the application sets make a repeated event count once.
 */
public record ProfileOutcomes(long asOfSeqNr, Domain.Profile profile, Set<String> applications, Set<String> interviewed) {

  public static final ProfileOutcomes EMPTY = new ProfileOutcomes(0, Domain.Profile.EMPTY, Set.of(), Set.of());

  public ProfileOutcomes {
    profile = profile == null ? Domain.Profile.EMPTY : profile;
    applications = applications == null ? Set.of() : applications;
    interviewed = interviewed == null ? Set.of() : interviewed;
  }

  public ProfileOutcomes apply(long seqNr, JourneyEvent e) {
    if (seqNr <= asOfSeqNr) return this;
    var profile = this.profile;
    var apps = applications;
    var inter = interviewed;
    if (e instanceof JourneyEvent.ProfileUpdated p) {
      profile = p.profile();
    } else if (e instanceof JourneyEvent.ApplicationRecorded a && !apps.contains(a.applicationId())) {
      apps = with(apps, a.applicationId());
    } else if (e instanceof JourneyEvent.StatusChanged s && apps.contains(s.applicationId())
        && Domain.INTERVIEW_STATUSES.contains(s.outcome().status()) && !inter.contains(s.applicationId())) {
      inter = with(inter, s.applicationId());
    }
    return new ProfileOutcomes(seqNr, profile, apps, inter);
  }

  public Peer peer(String userId) {
    return new Peer(userId, profile, applications.size(), interviewed.size());
  }

  private static Set<String> with(Set<String> set, String id) {
    var out = new LinkedHashSet<>(set);
    out.add(id);
    return java.util.Collections.unmodifiableSet(out);
  }
}
