package io.hireloop.personal;

import com.typesafe.config.ConfigFactory;
import io.hireloop.journey.Domain;
import io.hireloop.journey.JourneyEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Journals and settings for the personal tests: the shipped hireloop.personal values. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
  static final com.typesafe.config.Config PERSONAL = ConfigFactory.parseResources("hireloop.conf").resolve().getConfig("hireloop.personal");
  static final PersonalConfigRule.Params PARAMS = PersonalConfigRule.Params.from(PERSONAL);
  static final StrategyModel.Params STRATEGY = StrategyModel.Params.from(PERSONAL.getConfig("strategy"));
  static final PersonalConfigRule.Globals GLOBALS = new PersonalConfigRule.Globals(60, new double[] {0.2, 0.6, 0.2}, 10, 7, 0.1, 0.3);

  private Fixtures() {}

  /** One application and (unless status is null) its outcome. */
  record App(double fit, String category, String industry, String status, Integer days, long hoursAfterStart) {}

  static UserEvidence evidence(String user, List<App> apps) {
    var events = events(apps);
    return UserEvidence.fold(user, events, events.size());
  }

  /** The journal of {@code apps}: each application's creation, then its outcome. */
  static List<JourneyEvent> events(List<App> apps) {
    var events = new ArrayList<JourneyEvent>();
    int i = 0;
    for (var a : apps) {
      var at = T0.plusSeconds(3600 * a.hoursAfterStart());
      var ctx = new Domain.ApplicationContext("balanced", a.fit(), a.category(),
          new Domain.JobCharacteristics("Engineer", "C" + i, "mid", "Berlin", a.industry()), 70, false);
      events.add(new JourneyEvent.ApplicationRecorded("e-" + i, "APPLICATION_CREATED", at, "a-" + i, "j-" + i, "r", ctx));
      if (a.status() != null) {
        events.add(new JourneyEvent.StatusChanged("s-" + i, at.plusSeconds(3600), "a-" + i, "j-" + i, "r", null,
            new Domain.Outcome(a.status(), a.days(), null)));
      }
      i++;
    }
    return events;
  }
}
