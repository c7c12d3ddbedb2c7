package io.hireloop.cli;

import io.hireloop.api.Auth;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;

/** {@code projections rebuild NAME --url URL [--token JWT]}: rebuild a read model and follow its progress. */
final class ProjectionsCommand {
  private ProjectionsCommand() {}

  static int run(String[] args, PrintStream out) {
    if (args.length < 3 || !args[1].equals("rebuild")) {
      throw new Cli.UsageException("use: projections rebuild NAME --url URL [--token JWT]");
    }
    var name = args[2];
    var options = Cli.Options.parse(Arrays.copyOfRange(args, 3, args.length), 0);
    var url = options.required("url");
    var token = options.values().get("token");
    if (token == null) {
      var config = options.config();
      token = new Auth(config.getString("hireloop.auth.jwt-secret"), config.getString("hireloop.auth.issuer"))
          .issue("cli", "admin", Duration.ofMinutes(30));
    }
    var api = new ApiClient(url, token);
    var accepted = api.post("/api/v1/admin/projections/" + name + "/rebuild", "{}");
    if (accepted.status() != 202) {
      out.println("rebuild refused (" + accepted.status() + "): " + accepted.body());
      return 1;
    }
    out.println("rebuilding " + name + " from the journal");
    String previous = null;
    for (int i = 0; i < 600; i++) {
      var status = api.get("/api/v1/admin/projections");
      var summary = new StringBuilder();
      for (var p : status.body().path("projections")) {
        if (p.path("name").asText().equals(name)) {
          summary.append(p.path("key").asText()).append(": ")
              .append(p.path("paused").asBoolean() ? "paused" : p.path("offset").isNull() ? "replaying from the start"
                  : "at " + p.path("offset").asText())
              .append(p.path("lag_seconds").isNumber() ? String.format(" (lag %.1f s)", p.path("lag_seconds").asDouble()) : "")
              .append("; ");
        }
      }
      var snapshot = status.body().toString();
      out.println("  " + summary.toString().trim());
      if (snapshot.equals(previous) && !snapshot.contains("\"paused\":true")) {
        out.println("done: " + name + " caught up with the journal");
        return 0;
      }
      previous = snapshot;
      sleep(2000);
    }
    out.println("still rebuilding after 20 minutes; follow GET /api/v1/admin/projections");
    return 1;
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
