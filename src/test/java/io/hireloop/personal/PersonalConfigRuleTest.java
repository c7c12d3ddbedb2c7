package io.hireloop.personal;

import static io.hireloop.personal.Fixtures.GLOBALS;
import static io.hireloop.personal.Fixtures.PARAMS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.personal.Fixtures.App;
import io.hireloop.personal.PersonalConfig.Mix;
import io.hireloop.personal.PersonalConfig.Scalar;
import io.hireloop.personal.PersonalConfig.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersonalConfigRuleTest {
  static final List<String> NAMES = List.of("min_fit_score", "category_mix", "applications_per_week", "follow_up_after_days",
      "exploration_rate", "diversity_lambda");

  /**
   * 180 applications over 12 weeks (15 a week), fit 50–95, categories in turn, industries alternating: interviews only
   * at fit ≥ 75, in finance, never for reach; responses in 2 (interviews) or 4 (rejections) days.
   */
  static UserEvidence strong() {
    var apps = new ArrayList<App>();
    for (int i = 0; i < 180; i++) {
      double fit = 50 + (i * 7) % 46;
      var category = UserEvidence.CATEGORIES.get(i % 3);
      var industry = i % 2 == 0 ? "finance" : "health";
      boolean interview = fit >= 75 && industry.equals("finance") && !category.equals("reach");
      apps.add(interview ? new App(fit, category, industry, "interview", 2, i * 11L)
          : i % 4 == 1 ? new App(fit, category, industry, "rejected", 4, i * 11L) : new App(fit, category, industry, "ghosted", null, i * 11L));
    }
    return Fixtures.evidence("u-strong", apps);
  }

  @Test
  void thinEvidenceFallsBackToEveryGlobalValue() {
    var ev = Fixtures.evidence("u-thin", List.of(new App(90, "reach", "finance", "interview", 1, 0), new App(40, "safety", "health", "rejected", 30, 5),
        new App(70, "target", "media", null, null, 9)));
    var c = PersonalConfigRule.compute(ev, GLOBALS, PARAMS, Fixtures.T0.plus(Duration.ofDays(3)));
    assertEquals(NAMES, c.settings().stream().map(PersonalConfig.Setting::name).toList());
    for (var s : c.settings()) {
      assertEquals(Source.GLOBAL, s.source(), s.name());
      assertEquals(s.globalValue(), s.value(), s.name());
      assertEquals(0, s.weight());
      assertTrue(s.sampleSize() < s.minSampleSize(), s.name());
    }
    assertTrue(((List<?>) c.toJson().get("personalized")).isEmpty());
    // the estimates are still shown as evidence
    assertEquals(90.0 - 0, ((Scalar) c.setting("min_fit_score").evidence().estimate()).value(), 1e-9);
    assertEquals(2, c.setting("category_mix").sampleSize(), "the application without an outcome is not counted");
  }

  @Test
  void noApplicationsAtAll() {
    var c = PersonalConfigRule.compute(UserEvidence.EMPTY, GLOBALS, PARAMS, Fixtures.T0);
    for (var s : c.settings()) {
      assertEquals(Source.GLOBAL, s.source());
      assertNull(s.evidence().estimate(), s.name());
    }
  }

  @Test
  void strongEvidencePersonalisesEverySettingTowardTheUsersEstimate() {
    var ev = strong();
    var c = PersonalConfigRule.compute(ev, GLOBALS, PARAMS, Fixtures.T0.plus(Duration.ofDays(84)));
    for (var s : c.settings()) {
      assertEquals(Source.PERSONAL, s.source(), s.name() + " " + s);
      assertTrue(s.sampleSize() >= s.minSampleSize());
      assertEquals(s.sampleSize() / (s.sampleSize() + (s.name().equals("applications_per_week") ? 4.0 : 20.0)), s.weight(), 1e-12);
    }
    // between the global value and the user's estimate, nearer the estimate the more evidence
    for (var name : List.of("min_fit_score", "applications_per_week", "follow_up_after_days", "exploration_rate", "diversity_lambda")) {
      var s = c.setting(name);
      double g = ((Scalar) s.globalValue()).value(), u = ((Scalar) s.evidence().estimate()).value(), v = c.scalar(name);
      assertTrue(Math.min(g, u) - 1e-3 <= v && v <= Math.max(g, u) + 1e-3, name + ": " + g + " / " + u + " / " + v);
      // rounded: days to halves, the rest to tenths or thousandths
      assertEquals(g + s.weight() * (u - g), v, name.equals("follow_up_after_days") ? 0.2501 : 0.0501, name);
    }
    var minFit = c.setting("min_fit_score");
    assertTrue(((Scalar) minFit.evidence().estimate()).value() >= 75, "interviews only at fit >= 75");
    assertTrue(c.scalar("min_fit_score") > 60);
    assertTrue(minFit.evidence().ciLow() <= ((Scalar) minFit.evidence().estimate()).value());
    assertEquals(ev.interviews().size(), minFit.sampleSize());
    assertEquals(15, ((Scalar) c.setting("applications_per_week").evidence().estimate()).value(), 1e-9);
    assertEquals(12, c.setting("applications_per_week").sampleSize());
    assertTrue(c.scalar("applications_per_week") > 10 && c.scalar("applications_per_week") < 15);
    assertTrue(c.scalar("follow_up_after_days") < 7, "responses in 2-4 days");
    assertTrue(c.scalar("exploration_rate") < 0.1 && c.scalar("exploration_rate") >= PARAMS.explorationFloor());
    assertTrue(c.scalar("diversity_lambda") < 0.3, "success in one industry only: less diversity");
    var mix = (Mix) c.setting("category_mix").value();
    assertEquals(1, mix.reach() + mix.target() + mix.safety(), 0.002);
    assertTrue(mix.reach() < 0.2, "no reach interviews: " + mix);
    assertTrue(mix.safety() > 0.2, mix.toString());
    assertEquals(3, c.setting("category_mix").evidence().posterior().size());
  }

  @Test
  void evenSuccessAcrossIndustriesRaisesLambda() {
    var apps = new ArrayList<App>();
    for (int i = 0; i < 60; i++) apps.add(new App(70, "target", i % 2 == 0 ? "finance" : "health", i % 4 < 2 ? "interview" : "rejected", 3, i));
    var c = PersonalConfigRule.compute(Fixtures.evidence("u-even", apps), GLOBALS, PARAMS, Fixtures.T0.plus(Duration.ofDays(30)));
    assertEquals(Source.PERSONAL, c.setting("diversity_lambda").source());
    assertTrue(c.scalar("diversity_lambda") > 0.3, c.setting("diversity_lambda").toString());
  }

  @Test
  void foldLabelsInterviewsAndClosedApplications() {
    var ev = Fixtures.evidence("u", List.of(new App(80, "target", "x", "viewed", null, 0), new App(80, "target", "x", "ghosted", null, 1),
        new App(80, "target", "x", "offer", 12, 2)));
    assertNull(ev.applications().get(0).interviewed(), "viewed: not known yet");
    assertFalse(ev.applications().get(1).interviewed());
    assertTrue(ev.applications().get(2).interviewed());
    assertTrue(ev.applications().get(2).offered());
    assertEquals(List.of(12), ev.responseDays());
    assertEquals(2, ev.labelled().size());
  }

  @Test
  void aChangeOfValueChangesTheFingerprintButNotTheSameJournalTwice() {
    var now = Fixtures.T0.plus(Duration.ofDays(84));
    var a = PersonalConfigRule.compute(strong(), GLOBALS, PARAMS, now);
    var b = PersonalConfigRule.compute(strong(), GLOBALS, PARAMS, now.plusSeconds(5));
    assertEquals(a.fingerprint(), b.fingerprint());
    var g = new PersonalConfigRule.Globals(50, GLOBALS.categoryMix(), 10, 7, 0.1, 0.3);
    assertFalse(a.fingerprint().equals(PersonalConfigRule.compute(strong(), g, PARAMS, now).fingerprint()));
  }
}
