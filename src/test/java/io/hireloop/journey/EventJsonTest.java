package io.hireloop.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hireloop.platform.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ingest JSON → journal event → rendered JSON (GET .../events) gives back the same fields, for every family. */
class EventJsonTest {

  static Stream<Arguments> events() {
    var targetAdjusted = Fixtures.modeChanged("e6");
    targetAdjusted.put("event_type", "TARGET_ADJUSTED");
    targetAdjusted.remove("from_mode");
    var planGenerated = Fixtures.modeChanged("e7");
    planGenerated.put("event_type", "PLAN_GENERATED");
    var accepted = Fixtures.suggestionRejected("e12");
    accepted.put("event_type", "SUGGESTION_ACCEPTED");
    accepted.remove("rejection_reason");
    accepted.set("suggested_content", Json.read("[1, \"two\", {\"three\": null}, true]"));
    var noIndustry = Fixtures.applicationCreated("e13");
    ((ObjectNode) noIndustry.get("context").get("job_characteristics")).remove("industry");
    var bareOutcome = Fixtures.statusChanged("e14");
    ((ObjectNode) bareOutcome.get("outcome")).remove("days_to_response");
    ((ObjectNode) bareOutcome.get("outcome")).remove("response_type");
    return Stream.of(
        Arguments.of(Fixtures.applicationCreated("e1")),
        Arguments.of(Fixtures.applicationSubmitted("e2")),
        Arguments.of(Fixtures.statusChanged("e3")),
        Arguments.of(Fixtures.statusChangedFull("e4")),
        Arguments.of(Fixtures.modeChanged("e5")),
        Arguments.of(targetAdjusted),
        Arguments.of(planGenerated),
        Arguments.of(Fixtures.resumeRewritten("e8")),
        Arguments.of(Fixtures.scoreChanged("e9")),
        Arguments.of(Fixtures.suggestionEdited("e10")),
        Arguments.of(Fixtures.suggestionRejected("e11")),
        Arguments.of(accepted),
        Arguments.of(noIndustry),
        Arguments.of(bareOutcome));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("events")
  void parseThenRenderGivesBackTheSameFields(ObjectNode input) {
    var parsed = IngestParser.parse(Fixtures.body(input));
    assertEquals(List.of(), parsed.problems());
    JourneyEvent event = parsed.items().get(0).event();

    // through the JSON text, as a client reads it
    JsonNode rendered = Json.read(Json.write(EventJson.render(17, "u-42", event)));
    assertEquals(17, rendered.get("seq_nr").asLong());
    var withoutSeq = (ObjectNode) rendered.deepCopy();
    withoutSeq.remove("seq_nr");
    assertSameJson("", input, withoutSeq);

    // and the rendered form is itself valid ingest input for the same event
    var again = IngestParser.parse(Fixtures.body(withoutSeq));
    assertEquals(List.of(), again.problems());
    assertEquals(event, again.items().get(0).event());
  }

  /** Same keys and values; numbers compare by value (71 and 71.0 are the same score). */
  static void assertSameJson(String path, JsonNode expected, JsonNode actual) {
    if (expected.isNumber() && actual.isNumber()) {
      assertEquals(expected.doubleValue(), actual.doubleValue(), 0.0, path);
    } else if (expected.isObject() && actual.isObject()) {
      var expectedKeys = new TreeSet<String>();
      expected.fieldNames().forEachRemaining(expectedKeys::add);
      var actualKeys = new TreeSet<String>();
      actual.fieldNames().forEachRemaining(actualKeys::add);
      assertEquals(expectedKeys, actualKeys, "keys of " + (path.isEmpty() ? "the event" : path));
      for (var k : expectedKeys) assertSameJson(path.isEmpty() ? k : path + "." + k, expected.get(k), actual.get(k));
    } else if (expected.isArray() && actual.isArray()) {
      assertEquals(expected.size(), actual.size(), path);
      for (int i = 0; i < expected.size(); i++) assertSameJson(path + "[" + i + "]", expected.get(i), actual.get(i));
    } else if (expected.getNodeType() == actual.getNodeType()) {
      assertEquals(expected, actual, path);
    } else {
      fail(path + ": expected " + expected + " but was " + actual);
    }
  }

  @ParameterizedTest
  @MethodSource("events")
  void renderedFieldsAreSnakeCase(ObjectNode input) {
    var event = IngestParser.parse(Fixtures.body(input)).items().get(0).event();
    var names = new ArrayList<String>();
    collectNames(Json.MAPPER.valueToTree(EventJson.render(1, "u-42", event)), names, false);
    assertTrue(names.stream().allMatch(n -> n.matches("[a-z0-9_]+")), names.toString());
  }

  private static void collectNames(JsonNode node, List<String> out, boolean insideFreeContent) {
    if (insideFreeContent) return;
    node.fields().forEachRemaining(f -> {
      out.add(f.getKey());
      boolean free = f.getKey().equals("suggested_content") || f.getKey().equals("final_content");
      if (f.getValue().isObject()) collectNames(f.getValue(), out, free);
    });
  }
}
