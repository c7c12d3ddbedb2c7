package io.hireloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hireloop.api.Auth;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code projections list --url URL [--token JWT]}: every projection instance's offset, lag and pause state;
 * {@code projections rebuild NAME --url URL [--token JWT]}: rebuild a read model and follow its progress.
 */
final class ProjectionsCommand {
  static final String USAGE = "use: projections list --url URL [--token JWT] | projections rebuild NAME --url URL [--token JWT]";

  private ProjectionsCommand() {}

  static int run(String[] args, PrintStream out) {
    if (args.length >= 2 && args[1].equals("list")) return list(Cli.Options.parse(args, 2), out);
    if (args.length < 3 || !args[1].equals("rebuild") || args[2].startsWith("--")) throw new Cli.UsageException(USAGE);
    return rebuild(args[2], Cli.Options.parse(args, 3), out);
  }

  private static int list(Cli.Options options, PrintStream out) {
    var status = client(options).get("/api/v1/admin/projections");
    if (status.status() != 200) {
      out.println("listing refused (" + status.status() + "): " + status.body());
      return 1;
    }
    out.print(table(status.body()));
    return 0;
  }

  /** One row per projection instance: name, key (tag), offset (journal time of the saved offset), lag, paused. */
  static String table(JsonNode body) {
    var rows = new StringBuilder();
    var format = "%-24s %-12s %-26s %10s  %-6s%n";
    rows.append(String.format(format, "NAME", "KEY", "OFFSET", "LAG", "PAUSED"));
    for (var p : body.path("projections")) {
      var offset = p.path("offset_time").isTextual() ? p.path("offset_time").asText()
          : p.path("offset").isTextual() ? p.path("offset").asText() : "-";
      var lag = p.path("lag_seconds").isNumber() ? String.format("%.2f s", p.path("lag_seconds").asDouble()) : "-";
      rows.append(String.format(format, p.path("name").asText(), p.path("key").asText(), offset, lag,
          p.path("paused").asBoolean() ? "yes" : "no"));
    }
    return rows.toString();
  }

  private static int rebuild(String name, Cli.Options options, PrintStream out) {
    var api = client(options);
    var accepted = api.post("/api/v1/admin/projections/" + name + "/rebuild", "{}");
    if (accepted.status() != 202) {
      out.println("rebuild refused (" + accepted.status() + "): " + accepted.body());
      return 1;
    }
    out.println("rebuilding " + name + " from the journal (the read-side pass waits meanwhile; events written now are kept)");
    for (int i = 0; i < 3600; i++) {
      var status = api.get("/api/v1/admin/projections");
      JsonNode rebuild = null;
      boolean paused = false;
      for (var p : status.body().path("projections")) {
        paused |= p.path("paused").asBoolean();
        if (p.path("name").asText().equals(name) && p.has("rebuild")) rebuild = p.path("rebuild");
      }
      if (rebuild == null) {
        out.println("the node at --url shows no rebuild of " + name + " (did it restart?); run the rebuild again");
        return 1;
      }
      out.printf("  replayed %,d events, %d of %d slices done%n", rebuild.path("replayed_events").asLong(),
          rebuild.path("slices_done").asInt(), rebuild.path("slices").asInt());
      if (rebuild.path("failure").isTextual()) {
        out.println("rebuild failed: " + rebuild.path("failure").asText());
        return 1;
      }
      if (rebuild.path("slices_done").asInt() == rebuild.path("slices").asInt() && !paused) {
        out.println("done: " + name + " replayed; the read-side pass goes on from where it was paused");
        return 0;
      }
      sleep(2000);
    }
    out.println("still rebuilding after 2 hours; follow GET /api/v1/admin/projections");
    return 1;
  }

  /** The API at {@code --url} with {@code --token}, or an admin token signed with the configured secret. */
  private static ApiClient client(Cli.Options options) {
    var url = options.required("url");
    var token = options.values().get("token");
    if (token == null) {
      var config = options.config();
      token = new Auth(config.getString("hireloop.auth.jwt-secret"), config.getString("hireloop.auth.issuer"))
          .issue("cli", "admin", Duration.ofMinutes(30));
    }
    return new ApiClient(url, token);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
