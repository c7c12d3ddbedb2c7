package io.hireloop.journey;

import static io.hireloop.journey.Fixtures.applicationCreated;
import static io.hireloop.journey.Fixtures.applicationSubmitted;
import static io.hireloop.journey.Fixtures.body;
import static io.hireloop.journey.Fixtures.modeChanged;
import static io.hireloop.journey.Fixtures.obj;
import static io.hireloop.journey.Fixtures.resumeRewritten;
import static io.hireloop.journey.Fixtures.scoreChanged;
import static io.hireloop.journey.Fixtures.statusChanged;
import static io.hireloop.journey.Fixtures.statusChangedFull;
import static io.hireloop.journey.Fixtures.suggestionEdited;
import static io.hireloop.journey.Fixtures.suggestionRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hireloop.journey.Domain.ApplicationContext;
import io.hireloop.journey.Domain.JobCharacteristics;
import io.hireloop.journey.Domain.Outcome;
import io.hireloop.journey.Domain.StrategyMetrics;
import io.hireloop.journey.IngestParser.FieldProblem;
import io.hireloop.journey.IngestParser.Parsed;
import io.hireloop.journey.JourneyEvent.ApplicationRecorded;
import io.hireloop.journey.JourneyEvent.ResumeChanged;
import io.hireloop.journey.JourneyEvent.StatusChanged;
import io.hireloop.journey.JourneyEvent.StrategyChanged;
import io.hireloop.journey.JourneyEvent.SuggestionFeedback;
import io.hireloop.platform.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Schema, type, range and enum validation of POST /api/v1/events (API.md), problems named by full path. */
class IngestParserTest {

  static final String LONG = "x".repeat(IngestParser.MAX_SHORT_STRING + 1);
  static final String TS_MESSAGE = "must be an ISO-8601 timestamp with offset, e.g. 2026-03-02T09:15:00Z";

  // ------------------------------------------------------------ valid events

  @Test
  void applicationEventsParse() {
    Parsed p = IngestParser.parse(body(applicationCreated("e1"), applicationSubmitted("e2"), statusChanged("e3"), statusChangedFull("e4")));
    assertEquals(List.of(), p.problems());
    assertTrue(p.ok());
    assertEquals(List.of(0, 1, 2, 3), p.items().stream().map(IngestParser.Item::index).toList());
    assertTrue(p.items().stream().allMatch(i -> i.userId().equals("u-42")));

    var ctx = new ApplicationContext("balanced", 82.5, "target",
        new JobCharacteristics("Backend Engineer", "Acme", "senior", "Berlin", "fintech"), 71, true);
    assertEquals(new ApplicationRecorded("e1", "APPLICATION_CREATED", Instant.parse("2026-03-02T09:15:00Z"),
        "app-1", "job-7", "rv-3", ctx), p.items().get(0).event());
    assertEquals("APPLICATION_SUBMITTED", p.items().get(1).event().eventType());
    assertEquals(new StatusChanged("e3", Instant.parse("2026-03-09T14:00:00Z"), "app-1", null, null, null,
        new Outcome("phone_screen", 7, "email")), p.items().get(2).event());
    assertEquals(ctx, ((StatusChanged) p.items().get(3).event()).context());
    assertEquals("job-7", ((StatusChanged) p.items().get(3).event()).jobId());
  }

  @Test
  void strategyEventsParse() {
    var target = modeChanged("e2");
    target.put("event_type", "TARGET_ADJUSTED");
    target.remove("from_mode");
    var plan = modeChanged("e3");
    plan.put("event_type", "PLAN_GENERATED");
    Parsed p = IngestParser.parse(body(modeChanged("e1"), target, plan));
    assertEquals(List.of(), p.problems());
    var metrics = new StrategyMetrics(71.5, 40, 0.05, 12);
    assertEquals(new StrategyChanged("e1", "MODE_CHANGED", Instant.parse("2026-03-03T08:00:00Z"), "balanced", "aggressive",
        "interview rate below target", metrics), p.items().get(0).event());
    assertNull(((StrategyChanged) p.items().get(1).event()).fromMode());
    assertEquals("PLAN_GENERATED", p.items().get(2).event().eventType());
  }

  @Test
  void resumeEventsParse() {
    Parsed p = IngestParser.parse(body(resumeRewritten("e1"), scoreChanged("e2")));
    assertEquals(List.of(), p.problems());
    assertEquals(new ResumeChanged("e1", "RESUME_REWRITTEN", Instant.parse("2026-03-04T11:30:00Z"), "rv-4", "bullet",
        61.3, 70.1, 8.8, List.of("quantified impact"), List.of("added_metrics_to_bullets", "strengthened_action_verbs"),
        true, true), p.items().get(0).event());
    assertEquals(new ResumeChanged("e2", "SCORE_CHANGED", Instant.parse("2026-03-04T12:00:00Z"), "rv-4", null,
        70, 65, -5, null, null, null, false), p.items().get(1).event());
  }

  @Test
  void feedbackEventsParse() {
    var accepted = suggestionRejected("e3");
    accepted.put("event_type", "SUGGESTION_ACCEPTED");
    accepted.remove("rejection_reason");
    accepted.put("suggestion_type", "plan");
    accepted.set("suggested_content", Json.read("[1, \"two\", null]"));
    Parsed p = IngestParser.parse(body(suggestionEdited("e1"), suggestionRejected("e2"), accepted));
    assertEquals(List.of(), p.problems());
    var edited = (SuggestionFeedback) p.items().get(0).event();
    assertEquals("rewrite", edited.suggestionType());
    assertEquals(Json.read("{\"bullet\": \"Led a team of 5\", \"alternatives\": [\"a\", \"b\"], \"n\": 2}"),
        Json.read(edited.suggestedContentJson()));
    assertEquals("\"Led a team of 5 engineers\"", edited.finalContentJson());
    assertNull(edited.rejectionReason());
    assertEquals(new SuggestionFeedback("e2", "SUGGESTION_REJECTED", Instant.parse("2026-03-05T10:05:00Z"), "job",
        "{\"job_id\":\"job-99\"}", null, "commute too long"), p.items().get(1).event());
    assertEquals("[1,\"two\",null]", ((SuggestionFeedback) p.items().get(2).event()).suggestedContentJson());
  }

  @Test
  void timestampWithAnOffsetIsNormalisedToUtc() {
    var e = applicationCreated("e1");
    e.put("timestamp", "2026-03-02T10:15:00+01:00");
    assertEquals(Instant.parse("2026-03-02T09:15:00Z"), IngestParser.parse(body(e)).items().get(0).event().timestamp());
  }

  @Test
  void boundaryValuesAreAccepted() {
    var low = applicationCreated("e1");
    ((ObjectNode) low.get("context")).put("fit_score", 0).put("resume_score", 0);
    var high = applicationCreated("e2");
    ((ObjectNode) high.get("context")).put("fit_score", 100).put("resume_score", 100);
    var rate = modeChanged("e3");
    ((ObjectNode) rate.get("metrics")).put("interview_rate", 1).put("total_applications", 0);
    var maxString = applicationCreated("e4");
    maxString.put("event_id", "y".repeat(IngestParser.MAX_SHORT_STRING));
    assertEquals(List.of(), IngestParser.parse(body(low, high, rate, maxString)).problems());
  }

  // ------------------------------------------------------------ one problem, its full path

  /** Each case breaks one field of an otherwise valid event placed at index 3 of a five-event batch. */
  static Stream<Arguments> invalidFields() {
    return Stream.of(
        // common fields
        bad("event_id missing", applicationCreated("x"), e -> e.remove("event_id"), "event_id", "required"),
        bad("event_id null", applicationCreated("x"), e -> e.putNull("event_id"), "event_id", "required"),
        bad("event_id number", applicationCreated("x"), e -> e.put("event_id", 123), "event_id", "must be a string"),
        bad("event_id blank", applicationCreated("x"), e -> e.put("event_id", "  "), "event_id", "must not be blank"),
        bad("event_id too long", applicationCreated("x"), e -> e.put("event_id", LONG), "event_id", "at most 512 characters"),
        bad("user_id missing", modeChanged("x"), e -> e.remove("user_id"), "user_id", "required"),
        bad("event_type unknown", applicationCreated("x"), e -> e.put("event_type", "APPLICATION_DELETED"),
            "event_type", "unknown event type 'APPLICATION_DELETED'"),
        bad("timestamp missing", resumeRewritten("x"), e -> e.remove("timestamp"), "timestamp", "required"),
        bad("timestamp prose", applicationCreated("x"), e -> e.put("timestamp", "yesterday"), "timestamp", TS_MESSAGE),
        bad("timestamp without offset", applicationCreated("x"), e -> e.put("timestamp", "2026-03-02T09:15:00"), "timestamp", TS_MESSAGE),
        bad("timestamp month 13", applicationCreated("x"), e -> e.put("timestamp", "2026-13-02T09:15:00Z"), "timestamp", TS_MESSAGE),
        bad("timestamp epoch number", applicationCreated("x"), e -> e.put("timestamp", 1772442900), "timestamp", "must be a string"),
        // application family
        bad("application_id missing", applicationCreated("x"), e -> e.remove("application_id"), "application_id", "required"),
        bad("job_id missing on CREATED", applicationCreated("x"), e -> e.remove("job_id"), "job_id", "required"),
        bad("resume_version_id missing on SUBMITTED", applicationSubmitted("x"), e -> e.remove("resume_version_id"),
            "resume_version_id", "required"),
        bad("context missing on CREATED", applicationCreated("x"), e -> e.remove("context"), "context", "required"),
        bad("context missing on SUBMITTED", applicationSubmitted("x"), e -> e.remove("context"), "context", "required"),
        bad("context not an object", applicationCreated("x"), e -> e.put("context", "target"), "context", "must be an object"),
        bad("fit_score above 100", applicationCreated("x"), e -> ctx(e).put("fit_score", 101), "context.fit_score", "must be between 0 and 100"),
        bad("fit_score negative", applicationCreated("x"), e -> ctx(e).put("fit_score", -0.5), "context.fit_score", "must be between 0 and 100"),
        bad("fit_score string", applicationCreated("x"), e -> ctx(e).put("fit_score", "80"), "context.fit_score", "must be a number"),
        bad("fit_score missing", applicationCreated("x"), e -> ctx(e).remove("fit_score"), "context.fit_score", "required"),
        bad("category unknown", applicationCreated("x"), e -> ctx(e).put("category", "stretch"), "context.category",
            "must be one of [reach, safety, target]"),
        bad("strategy_mode missing", applicationCreated("x"), e -> ctx(e).remove("strategy_mode"), "context.strategy_mode", "required"),
        bad("job_characteristics missing", applicationCreated("x"), e -> ctx(e).remove("job_characteristics"),
            "context.job_characteristics", "required"),
        bad("job title missing", applicationCreated("x"), e -> job(e).remove("title"), "context.job_characteristics.title", "required"),
        bad("job company too long", applicationCreated("x"), e -> job(e).put("company", LONG),
            "context.job_characteristics.company", "at most 512 characters"),
        bad("job industry not a string", applicationCreated("x"), e -> job(e).put("industry", 7),
            "context.job_characteristics.industry", "must be a string"),
        bad("resume_score above 100", applicationCreated("x"), e -> ctx(e).put("resume_score", 100.5), "context.resume_score",
            "must be between 0 and 100"),
        bad("tailoring_applied string", applicationCreated("x"), e -> ctx(e).put("tailoring_applied", "yes"),
            "context.tailoring_applied", "must be true or false"),
        bad("outcome missing", statusChanged("x"), e -> e.remove("outcome"), "outcome", "required"),
        bad("outcome not an object", statusChanged("x"), e -> e.put("outcome", "rejected"), "outcome", "must be an object"),
        bad("status unknown", statusChanged("x"), e -> outcome(e).put("status", "hired"), "outcome.status",
            "must be one of [ghosted, interview, offer, offer_accepted, offer_declined, phone_screen, rejected, viewed, withdrawn]"),
        bad("status missing", statusChanged("x"), e -> outcome(e).remove("status"), "outcome.status", "required"),
        bad("days_to_response fractional", statusChanged("x"), e -> outcome(e).put("days_to_response", 1.5),
            "outcome.days_to_response", "must be a whole number of days"),
        bad("days_to_response negative", statusChanged("x"), e -> outcome(e).put("days_to_response", -1),
            "outcome.days_to_response", "must be between 0 and 3650"),
        bad("response_type too long", statusChanged("x"), e -> outcome(e).put("response_type", LONG),
            "outcome.response_type", "at most 512 characters"),
        bad("optional context on STATUS_CHANGED is still checked", statusChangedFull("x"), e -> ctx(e).put("fit_score", 150),
            "context.fit_score", "must be between 0 and 100"),
        bad("status application_id missing", statusChanged("x"), e -> e.remove("application_id"), "application_id", "required"),
        // strategy family
        bad("to_mode missing", modeChanged("x"), e -> e.remove("to_mode"), "to_mode", "required"),
        bad("reason missing", modeChanged("x"), e -> e.remove("reason"), "reason", "required"),
        bad("from_mode not a string", modeChanged("x"), e -> e.put("from_mode", 5), "from_mode", "must be a string"),
        bad("metrics missing", modeChanged("x"), e -> e.remove("metrics"), "metrics", "required"),
        bad("interview_rate above 1", modeChanged("x"), e -> metrics(e).put("interview_rate", 1.5), "metrics.interview_rate",
            "must be between 0 and 1"),
        bad("metrics resume_score above 100", modeChanged("x"), e -> metrics(e).put("resume_score", 101), "metrics.resume_score",
            "must be between 0 and 100"),
        bad("total_applications negative", modeChanged("x"), e -> metrics(e).put("total_applications", -1),
            "metrics.total_applications", "must be a non-negative integer"),
        bad("total_applications fractional", modeChanged("x"), e -> metrics(e).put("total_applications", 2.5),
            "metrics.total_applications", "must be a non-negative integer"),
        bad("total_applications string", modeChanged("x"), e -> metrics(e).put("total_applications", "40"),
            "metrics.total_applications", "must be a non-negative integer"),
        bad("applications_last_7_days missing", modeChanged("x"), e -> metrics(e).remove("applications_last_7_days"),
            "metrics.applications_last_7_days", "required"),
        // resume family
        bad("resume_version_id missing", resumeRewritten("x"), e -> e.remove("resume_version_id"), "resume_version_id", "required"),
        bad("rewrite_type unknown", resumeRewritten("x"), e -> e.put("rewrite_type", "paragraph"), "rewrite_type",
            "must be one of [bullet, section, summary]"),
        bad("before_score above 100", scoreChanged("x"), e -> e.put("before_score", 101).put("score_delta", -36), "before_score",
            "must be between 0 and 100"),
        bad("after_score missing", scoreChanged("x"), e -> e.remove("after_score"), "after_score", "required"),
        bad("score_delta is not after - before", resumeRewritten("x"), e -> e.put("score_delta", 9), "score_delta",
            "must equal after_score - before_score (" + (70.1 - 61.3) + ")"),
        bad("score_delta sign flipped", scoreChanged("x"), e -> e.put("score_delta", 5), "score_delta",
            "must equal after_score - before_score (-5.0)"),
        bad("gaps_addressed not an array", resumeRewritten("x"), e -> e.put("gaps_addressed", "metrics"), "gaps_addressed",
            "must be an array of strings"),
        bad("edit_types element not a string", resumeRewritten("x"), e -> e.putArray("edit_types").add("added_keywords").add(5),
            "edit_types[1]", "must be a string of at most 512 characters"),
        bad("edit_types element too long", resumeRewritten("x"), e -> e.putArray("edit_types").add(LONG),
            "edit_types[0]", "must be a string of at most 512 characters"),
        bad("suggested_by_system string", resumeRewritten("x"), e -> e.put("suggested_by_system", "true"), "suggested_by_system",
            "must be true or false"),
        bad("user_accepted missing", resumeRewritten("x"), e -> e.remove("user_accepted"), "user_accepted", "required"),
        // feedback family
        bad("suggestion_type unknown", suggestionEdited("x"), e -> e.put("suggestion_type", "email"), "suggestion_type",
            "must be one of [job, plan, rewrite, strategy]"),
        bad("suggested_content missing", suggestionEdited("x"), e -> e.remove("suggested_content"), "suggested_content", "required"),
        bad("suggested_content over 16 KiB", suggestionEdited("x"),
            e -> e.putObject("suggested_content").put("text", "z".repeat(IngestParser.MAX_FREE_TEXT)),
            "suggested_content", "at most 16384 characters of JSON"),
        bad("final_content over 16 KiB", suggestionEdited("x"), e -> e.put("final_content", "z".repeat(IngestParser.MAX_FREE_TEXT + 1)),
            "final_content", "at most 16384 characters of JSON"),
        bad("rejection_reason too long", suggestionRejected("x"), e -> e.put("rejection_reason", LONG), "rejection_reason",
            "at most 512 characters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFields")
  void eachProblemIsReportedWithItsFullPath(String name, ObjectNode broken, String field, String problem) {
    Parsed p = IngestParser.parse(body(applicationCreated("v0"), statusChanged("v1"), modeChanged("v2"), broken, resumeRewritten("v4")));
    assertEquals(List.of(new FieldProblem("events[3]." + field, problem)), p.problems());
    assertEquals(List.of(0, 1, 2, 4), p.items().stream().map(IngestParser.Item::index).toList(),
        "the broken event yields no item, the others do");
  }

  @Test
  void fieldPathExampleOfTheApi() {
    var e = applicationCreated("e3");
    ctx(e).put("fit_score", 120);
    Parsed p = IngestParser.parse(body(applicationCreated("e0"), applicationCreated("e1"), applicationCreated("e2"), e));
    assertEquals(List.of(new FieldProblem("events[3].context.fit_score", "must be between 0 and 100")), p.problems());
  }

  // ------------------------------------------------------------ whole batches

  @Test
  void everyProblemOfTheBatchIsListed() {
    var e0 = applicationCreated("e0");
    e0.remove("event_id");
    ctx(e0).put("category", "dream");
    job(e0).remove("location");
    var e2 = statusChanged("e2");
    outcome(e2).put("status", "hired");
    var e3 = resumeRewritten("e3");
    e3.put("before_score", -1).put("user_accepted", "no");
    var e5 = suggestionEdited("e5");
    e5.put("suggestion_type", 1);
    e5.put("timestamp", "soon");

    Parsed p = IngestParser.parse(body(e0, modeChanged("e1"), e2, e3, scoreChanged("e4"), e5));
    assertEquals(List.of(
        new FieldProblem("events[0].event_id", "required"),
        new FieldProblem("events[0].context.category", "must be one of [reach, safety, target]"),
        new FieldProblem("events[0].context.job_characteristics.location", "required"),
        new FieldProblem("events[2].outcome.status",
            "must be one of [ghosted, interview, offer, offer_accepted, offer_declined, phone_screen, rejected, viewed, withdrawn]"),
        new FieldProblem("events[3].before_score", "must be between 0 and 100"),
        new FieldProblem("events[3].user_accepted", "must be true or false"),
        new FieldProblem("events[5].timestamp", TS_MESSAGE),
        new FieldProblem("events[5].suggestion_type", "must be a string")), p.problems());
    assertEquals(List.of(1, 4), p.items().stream().map(IngestParser.Item::index).toList());
  }

  @Test
  void anEventThatIsNotAnObjectIsNamedByItsIndex() {
    var body = body(applicationCreated("e0"));
    ((com.fasterxml.jackson.databind.node.ArrayNode) body.get("events")).add("APPLICATION_CREATED").addNull();
    Parsed p = IngestParser.parse(body);
    assertEquals(List.of(new FieldProblem("events[1]", "must be an object"), new FieldProblem("events[2]", "must be an object")),
        p.problems());
  }

  @Test
  void atMost500EventsPerBatch() {
    assertEquals(List.of(), IngestParser.parse(bodyOf(500)).problems());
    assertEquals(500, IngestParser.parse(bodyOf(500)).items().size());

    Parsed p = IngestParser.parse(bodyOf(501));
    assertEquals(List.of(new FieldProblem("events", "at most 500 events per batch (got 501)")), p.problems());
    assertTrue(p.items().isEmpty());
  }

  @Test
  void eventsIsRequiredAndMustBeANonEmptyArray() {
    var required = List.of(new FieldProblem("events", "required: the body must be {\"events\": [ ... ]}"));
    assertEquals(required, IngestParser.parse(obj("{}")).problems());
    assertEquals(required, IngestParser.parse(obj("{\"event\": []}")).problems());
    assertEquals(required, IngestParser.parse(Json.read("[]")).problems());
    assertEquals(required, IngestParser.parse(null).problems());
    assertEquals(List.of(new FieldProblem("events", "must be an array")), IngestParser.parse(obj("{\"events\": {}}")).problems());
    assertEquals(List.of(new FieldProblem("events", "must not be empty")), IngestParser.parse(obj("{\"events\": []}")).problems());
  }

  @ParameterizedTest
  @ValueSource(strings = {"event_id", "user_id", "application_id", "job_id", "resume_version_id"})
  void shortStringsAreLimitedTo512Characters(String field) {
    var ok = applicationCreated("e0");
    ok.put(field, "s".repeat(512));
    assertEquals(List.of(), IngestParser.parse(body(ok)).problems());
    var tooLong = applicationCreated("e0");
    tooLong.put(field, "s".repeat(513));
    assertEquals(List.of(new FieldProblem("events[0]." + field, "at most 512 characters")), IngestParser.parse(body(tooLong)).problems());
  }

  @Test
  void freeTextIsLimitedTo16KiBOfJson() {
    // the limit applies to the content's JSON text: a string's quotes count
    var atLimit = suggestionEdited("e0");
    atLimit.put("suggested_content", "q".repeat(IngestParser.MAX_FREE_TEXT - 2));
    assertEquals(IngestParser.MAX_FREE_TEXT, atLimit.get("suggested_content").toString().length());
    assertEquals(List.of(), IngestParser.parse(body(atLimit)).problems());

    var over = suggestionEdited("e0");
    over.put("suggested_content", "q".repeat(IngestParser.MAX_FREE_TEXT - 1));
    assertEquals(List.of(new FieldProblem("events[0].suggested_content", "at most 16384 characters of JSON")),
        IngestParser.parse(body(over)).problems());

    // a long free text is fine where a short string would not be
    var longButFine = suggestionEdited("e0");
    longButFine.put("final_content", "f".repeat(10_000));
    assertEquals(List.of(), IngestParser.parse(body(longButFine)).problems());
  }

  @Test
  void scoreDeltaToleratesFloatingPointButNothingMore() {
    // 70.1 - 61.3 is 8.799999999999997 in doubles; the client's 8.8 is right
    assertEquals(List.of(), IngestParser.parse(body(resumeRewritten("e0"))).problems());
    var off = resumeRewritten("e0");
    off.put("score_delta", 8.81);
    assertEquals(1, IngestParser.parse(body(off)).problems().size());
    assertEquals("events[0].score_delta", IngestParser.parse(body(off)).problems().get(0).field());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-03-02", "2026-03-02 09:15:00Z", "09:15:00Z", "2026-03-02T25:00:00Z", "", "2026-03-02T09:15:00+25:00"})
  void badTimestampsAreRefused(String ts) {
    var e = applicationCreated("e0");
    e.put("timestamp", ts);
    var expected = ts.isEmpty() ? "must not be blank" : TS_MESSAGE;
    assertEquals(List.of(new FieldProblem("events[0].timestamp", expected)), IngestParser.parse(body(e)).problems());
  }

  @Test
  void aContextOnItsOwnIsCheckedUnderTheGivenPath() {
    var problems = new ArrayList<FieldProblem>();
    var c = Fixtures.context();
    c.put("fit_score", 101);
    assertNull(IngestParser.parseContext(c, "context", problems));
    assertEquals(List.of(new FieldProblem("context.fit_score", "must be between 0 and 100")), problems);

    // a bare context as the whole body: the fields are named without a leading dot
    problems.clear();
    ((ObjectNode) c.get("job_characteristics")).remove("title");
    assertNull(IngestParser.parseContext(c, "", problems));
    assertEquals(List.of(new FieldProblem("fit_score", "must be between 0 and 100"),
        new FieldProblem("job_characteristics.title", "required")), problems);

    problems.clear();
    assertInstanceOf(ApplicationContext.class, IngestParser.parseContext(Fixtures.context(), "", problems));
    assertEquals(List.of(), problems);
  }

  // ------------------------------------------------------------ helpers

  static Arguments bad(String name, ObjectNode event, Consumer<ObjectNode> breakIt, String field, String problem) {
    breakIt.accept(event);
    return Arguments.of(name, event, field, problem);
  }

  static ObjectNode ctx(ObjectNode e) {
    return (ObjectNode) e.get("context");
  }

  static ObjectNode job(ObjectNode e) {
    return (ObjectNode) ctx(e).get("job_characteristics");
  }

  static ObjectNode outcome(ObjectNode e) {
    return (ObjectNode) e.get("outcome");
  }

  static ObjectNode metrics(ObjectNode e) {
    return (ObjectNode) e.get("metrics");
  }

  static ObjectNode bodyOf(int n) {
    Function<Integer, ObjectNode> make = i -> applicationCreated("e" + i);
    return body(Stream.iterate(0, i -> i + 1).limit(n).map(make).toArray(ObjectNode[]::new));
  }
}
