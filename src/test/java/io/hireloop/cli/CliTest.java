package io.hireloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.api.ApiError;
import io.hireloop.api.Auth;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CliTest {

  @Test
  void tokenIsSignedWithTheConfiguredSecretAndCarriesTheRole() {
    var out = new ByteArrayOutputStream();
    var options = Cli.Options.parse(new String[] {"--sub", "u-7", "--role", "user", "--ttl", "10m"}, 0);
    assertEquals(0, Cli.token(options, new PrintStream(out, true, StandardCharsets.UTF_8)));
    var config = options.config();
    var principal = new Auth(config.getString("hireloop.auth.jwt-secret"), config.getString("hireloop.auth.issuer"))
        .verify(out.toString(StandardCharsets.UTF_8).trim());
    assertEquals(new Auth.Principal("u-7", "user"), principal);
    assertThrows(ApiError.class, () -> new Auth("some-other-secret-0123456789", "hireloop").verify(out.toString(StandardCharsets.UTF_8).trim()));
  }

  @Test
  void afterARotationTokensAreSignedWithTheNewSecret(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    var conf = dir.resolve("rotated.conf");
    java.nio.file.Files.writeString(conf, """
        hireloop.auth.jwt-secret = "new-secret-0123456789abcdef"
        hireloop.auth.previous-jwt-secrets = ["old-secret-0123456789abcdef"]
        """);
    var out = new ByteArrayOutputStream();
    var options = Cli.Options.parse(new String[] {"--sub", "u-7", "--role", "service", "--config", conf.toString()}, 0);
    assertEquals(0, Cli.token(options, new PrintStream(out, true, StandardCharsets.UTF_8)));
    var token = out.toString(StandardCharsets.UTF_8).trim();
    assertEquals(new Auth.Principal("u-7", "service"), new Auth("new-secret-0123456789abcdef", "hireloop").verify(token));
    assertThrows(ApiError.class, () -> new Auth("old-secret-0123456789abcdef", "hireloop").verify(token));
  }

  @Test
  void mistakesInTheCommandLineAreUsageErrors() {
    assertEquals(2, Cli.run(new String[] {"frobnicate"}));
    assertEquals(2, Cli.run(new String[] {"token", "--sub", "x", "--role", "boss"}));
    assertEquals(2, Cli.run(new String[] {"token", "--role", "admin"}));
    assertEquals(2, Cli.run(new String[] {"serve", "--http-port", "eighty"}));
    assertEquals(2, Cli.run(new String[] {"serve", "--config", "/no/such/file.conf"}));
    assertEquals(2, Cli.run(new String[] {"projections", "rebuild"}));
    assertEquals(2, Cli.run(new String[] {"fuzz", "--target", "everything"}));
    assertEquals(2, Cli.run(new String[] {"fuzz", "--seconds", "0"}));
    assertEquals(0, Cli.run(new String[] {"help"}));
  }

  @Test
  void helpAfterACommandPrintsTheUsageAndRunsNothing() {
    var out = System.out;
    var captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      // each would otherwise start a 40-minute soak or a node
      assertEquals(0, Cli.run(new String[] {"chaos", "soak", "--help"}));
      assertEquals(0, Cli.run(new String[] {"serve", "-h"}));
    } finally {
      System.setOut(out);
    }
    assertTrue(captured.toString(java.nio.charset.StandardCharsets.UTF_8).contains("chaos soak [--minutes 30] [--warmup 660]"));
  }

  @Test
  void ttlAcceptsHoconDurations() {
    assertEquals(3600, Cli.ttl("1h").toSeconds());
    assertEquals(7 * 86400, Cli.ttl("7d").toSeconds());
    assertThrows(Cli.UsageException.class, () -> Cli.ttl("soon"));
  }

  @Test
  void demoPopulationIsValidTimeOrderedAndInThePast() {
    var now = Instant.now();
    var events = DemoPopulation.generate(40, 5, now);
    assertTrue(events.size() > 200);
    var parsed = io.hireloop.journey.IngestParser.parse(io.hireloop.platform.Json.MAPPER.valueToTree(java.util.Map.of("events", events.subList(0, 500))));
    assertTrue(parsed.ok(), parsed.problems().toString());
    for (int i = 1; i < events.size(); i++) {
      assertTrue(((String) events.get(i - 1).get("timestamp")).compareTo((String) events.get(i).get("timestamp")) <= 0);
    }
    assertTrue(Instant.parse((String) events.get(events.size() - 1).get("timestamp")).isBefore(now));
    assertEquals(events, DemoPopulation.generate(40, 5, now), "same seed, same population");
  }

  @Test
  void progressBarShowsShareCountsAndRate() {
    assertEquals("[###############...............]  52% 3,410/6,500 events 812/s", ProgressBar.format(3410, 6500, "events", 812.4));
    assertEquals("[##############################] 100% 0/0 events", ProgressBar.format(0, 0, "events", -1));
    assertEquals("[##############################] 100% 7/7 events", ProgressBar.format(7, 7, "events", -1));
    var out = new ByteArrayOutputStream();
    var bar = new ProgressBar(new PrintStream(out, true, StandardCharsets.UTF_8), false, Long.MAX_VALUE);
    bar.update("> ", 1, 10, "events", -1, false); // the first plain line
    bar.update("> ", 2, 10, "events", -1, false); // too soon: skipped
    bar.update("> ", 10, 10, "events", -1, true); // the last one always
    var lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length, out.toString(StandardCharsets.UTF_8));
    assertTrue(lines[1].startsWith("> [##############################] 100% 10/10"), lines[1]);
    assertTrue(!out.toString(StandardCharsets.UTF_8).contains("\r"), "no carriage returns when not a terminal");
  }
}
