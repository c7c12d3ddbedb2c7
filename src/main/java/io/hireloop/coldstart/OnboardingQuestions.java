package io.hireloop.coldstart;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.hireloop.journey.Domain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /users/{id}/onboarding/questions} (pure): the profile fields the user has not answered, ranked by the
 * expected information gain of the answer about their interview rate ({@link FieldGain}: expected reduction of the
 * predicted rate's variance) among the peers weighted by their similarity to what the user already answered (everyone
 * alike when nothing is answered yet). Each question offers the most frequent answers among those peers.
 */
public final class OnboardingQuestions {
  private OnboardingQuestions() {}

  public static final String GAIN_MEASURE = "expected reduction in the variance of the predicted interview rate";

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Question(String field, String question, String answer, Double expectedGain, List<FieldGain.Option> options) {}

  /** @param peers users with outcomes that weighed in; {@code expected_gain} is null when they are fewer than k */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Questions(String userId, List<String> answered, List<Question> questions, int peers, String gainMeasure,
      List<String> notes) {}

  public static Questions rank(String userId, Domain.Profile profile, Population population) {
    var s = population.settings();
    var peers = new ArrayList<Peer>();
    for (var p : population.peers()) if (!p.userId().equals(userId)) peers.add(p);
    var weights = new double[peers.size()];
    boolean anyAnswer = false;
    for (var f : ProfileField.values()) anyAnswer |= f.answered(profile);
    double total = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = anyAnswer ? population.similarity(profile, peers.get(i).profile()) : 1;
      total += weights[i];
    }
    // what the user answered tells nothing about anyone (or nothing is answered): everyone weighs the same
    if (total <= 0) java.util.Arrays.fill(weights, 1);
    boolean enough = peers.size() >= s.k();
    var notes = new ArrayList<String>();
    if (!enough) notes.add("fewer than " + s.k() + " users with outcomes: questions in the profile's order, no gain and no options");
    var answered = new ArrayList<String>();
    var questions = new ArrayList<Question>();
    for (var f : ProfileField.values()) {
      if (f.answered(profile)) {
        answered.add(f.json);
        continue;
      }
      if (!enough) {
        questions.add(new Question(f.json, f.question, f.answer, null, List.of()));
        continue;
      }
      var gain = FieldGain.of(f, peers, weights, s.priorPseudoCount(), s.options());
      // an option is an aggregate: only values that at least k of the weighed peers gave
      var options = gain.options().stream().filter(o -> o.share() * gain.answeredPeers() >= s.k())
          .map(o -> new FieldGain.Option(o.value(), ColdStart.round(o.share()))).toList();
      questions.add(new Question(f.json, f.question, f.answer, Math.round(gain.gain() * 1e9) / 1e9, options));
    }
    if (enough) {
      questions.sort(Comparator.comparingDouble((Question q) -> -q.expectedGain()).thenComparing(q -> ProfileField.valueOf(
          q.field().toUpperCase(java.util.Locale.ROOT)).ordinal()));
    }
    return new Questions(userId, answered, questions, peers.size(), GAIN_MEASURE, notes);
  }
}
