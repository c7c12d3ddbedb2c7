package io.hireloop.cli.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.stream.ControlMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CI-sized fuzzing (RELIABILITY.md "Hostile input"): 10,000 structure-aware mutations of valid inputs per
 * target, a fixed seed, each input refused by the parser's own result or accepted with its invariants intact.
 * {@code bin/hireloop fuzz} runs the same for longer with other seeds.
 */
class FuzzTest {
  static final long SEED = 20;
  static final int INPUTS = 10_000;

  @ParameterizedTest
  @ValueSource(strings = {"ingest", "spec", "stream"})
  void tenThousandMutatedInputsFindNothing(String name) {
    var report = Fuzzer.run(FuzzTarget.named(name), SEED, INPUTS, Duration.ofSeconds(60));
    Fuzzer.lines(report).forEach(System.out::println);
    assertEquals(INPUTS, report.executions(), "all inputs ran within the time bound");
    assertTrue(report.clean(), String.join("\n", Fuzzer.lines(report)));
    // the mutations reach both sides of the parser: the seeds are valid, and many mutants stay valid
    var target = FuzzTarget.named(name);
    for (var seed : target.seeds()) assertEquals(FuzzTarget.Outcome.ACCEPTED, target.check().run(seed.getBytes(StandardCharsets.UTF_8)), seed);
    assertTrue(report.accepted() > INPUTS / 20, "accepted mutants: " + report.accepted());
    assertTrue(report.executions() - report.accepted() > INPUTS / 4, "most mutations are refused: " + report.accepted());
    assertTrue(report.slowestMillis() < Fuzzer.SLOW.toMillis(), "slowest input " + report.slowestMillis() + " ms");
  }

  @Test
  void theSameSeedGivesTheSameInputs() {
    var a = new JsonMutator(7, FuzzTarget.named("ingest").seeds(), List.of("x"));
    var b = new JsonMutator(7, FuzzTarget.named("ingest").seeds(), List.of("x"));
    for (int i = 0; i < 200; i++) assertArrayEquals(a.next(), b.next());
  }

  @Test
  void aBrokenContractIsAFinding() {
    var broken = new FuzzTarget("broken", List.of("{\"a\": 1}"), List.of(), input -> {
      if (input.length % 2 == 0) throw new IllegalStateException("boom");
      return FuzzTarget.Outcome.ACCEPTED;
    });
    var report = Fuzzer.run(broken, 1, 500, Duration.ofSeconds(10));
    assertTrue(report.findings() > 0);
    assertEquals(1, report.distinct().size(), report.distinct().toString());
    assertTrue(report.distinct().values().iterator().next().problem().startsWith("java.lang.IllegalStateException: boom"), report.distinct().toString());
  }

  @Test
  void hostileInputsThatUsedToGetThroughAreRefused() {
    // a timestamp outside the journal's epoch-millisecond range (it used to be accepted and stall the read side)
    var ancient = """
        {"events": [{"event_id": "e1", "event_type": "MODE_CHANGED", "user_id": "u", "timestamp": "-999999999-01-01T00:00:00Z",
          "to_mode": "x", "reason": "r", "metrics": {"resume_score": 1, "total_applications": 1, "interview_rate": 0.1,
          "applications_last_7_days": 1}}]}""";
    assertEquals(FuzzTarget.Outcome.REFUSED, FuzzTarget.ingest(ancient.getBytes(StandardCharsets.UTF_8)));
    // a count past 2^64 used to wrap around to a small number
    var wrapped = ancient.replace("-999999999-01-01T00:00:00Z", "2026-01-01T00:00:00Z").replace("\"total_applications\": 1",
        "\"total_applications\": 18446744073709551621");
    assertEquals(FuzzTarget.Outcome.REFUSED, FuzzTarget.ingest(wrapped.getBytes(StandardCharsets.UTF_8)));
    // a 900 KB variant value used to be stored in the experiment's journal
    var huge = FuzzTarget.SPEC.replace("\"value\": 1,", "\"value\": \"" + "x".repeat(900_000) + "\",");
    assertEquals(FuzzTarget.Outcome.REFUSED, FuzzTarget.spec(huge.getBytes(StandardCharsets.UTF_8)));
    // a mistyped optional field used to be ignored
    var typo = FuzzTarget.SPEC.replace("\"allocation_mode\"", "\"allocaton_mode\"");
    assertEquals(FuzzTarget.Outcome.REFUSED, FuzzTarget.spec(typo.getBytes(StandardCharsets.UTF_8)));
    // invalid UTF-8 used to be read as U+FFFD and stored
    var bytes = FuzzTarget.SPEC.replace("\"name\": \"n\"", "\"name\": \"n?\"").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) if (bytes[i] == '?') bytes[i] = (byte) 0xC3;
    assertEquals(FuzzTarget.Outcome.REFUSED, FuzzTarget.spec(bytes));
  }

  @Test
  void controlMessagesAreBounded() {
    assertEquals(new ControlMessage.Subscribe(List.of("user:u-1", "models")), ControlMessage.parse("{\"subscribe\": [\"user:u-1\", \"models\"]}"));
    assertEquals(new ControlMessage.Unsubscribe(List.of("market")), ControlMessage.parse("{\"unsubscribe\": [\"market\"]}"));
    assertEquals("malformed_json", ((ControlMessage.Invalid) ControlMessage.parse("{")).code());
    assertEquals("malformed_json", ((ControlMessage.Invalid) ControlMessage.parse("[".repeat(10_000))).code());
    assertEquals("too_large", ((ControlMessage.Invalid) ControlMessage.parse(" ".repeat(ControlMessage.MAX_LENGTH + 1))).code());
    assertInstanceOf(ControlMessage.Invalid.class, ControlMessage.parse("{\"subscribe\": [1]}"));
    assertInstanceOf(ControlMessage.Invalid.class, ControlMessage.parse("{\"subscribe\": [\"" + "x".repeat(513) + "\"]}"));
    assertInstanceOf(ControlMessage.Invalid.class, ControlMessage.parse("{\"subscribe\": "
        + java.util.Collections.nCopies(101, "\"models\"") + "}"));
    assertInstanceOf(ControlMessage.Invalid.class, ControlMessage.parse("null"));
    assertInstanceOf(ControlMessage.Invalid.class, ControlMessage.parse(""));
  }

  @Test
  void anUnknownTargetIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> FuzzTarget.named("nope"));
  }
}
