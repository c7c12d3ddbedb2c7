package io.hireloop.cli.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads every user's journal back through {@code GET /api/v1/users/{id}/events} and compares it with what the clients
 * were acknowledged: each acknowledged event must be there exactly once.
 */
public final class JournalCheck {
  /**
   * @param acknowledged events a 200 acknowledged
   * @param found acknowledged events found in the journals
   * @param missing acknowledged events not found (must be 0)
   * @param duplicated event ids stored more than once (must be 0)
   * @param storedUnacknowledged events stored whose acknowledgement never reached a client (an answer lost with the
   *     killed node, or a batch in doubt when the load stopped): allowed, the client never heard "no"
   * @param examples a few missing or duplicated ids, for the report
   */
  public record Verdict(long acknowledged, long found, long missing, long duplicated, long storedUnacknowledged, List<String> examples) {
    public boolean exactlyOnce() {
      return missing == 0 && duplicated == 0;
    }
  }

  private JournalCheck() {}

  static Verdict run(Map<String, Set<String>> acknowledged, List<String> users, String nodeUrl, String adminToken) {
    var http = new ChaosHttp(Duration.ofSeconds(30));
    long ack = 0;
    long found = 0;
    long missing = 0;
    long duplicated = 0;
    long unacked = 0;
    var examples = new ArrayList<String>();
    for (var user : users) {
      var counts = journal(http, nodeUrl, adminToken, user);
      var acked = acknowledged.getOrDefault(user, Set.of());
      ack += acked.size();
      for (var id : acked) {
        if (counts.containsKey(id)) {
          found++;
        } else {
          missing++;
          if (examples.size() < 10) examples.add("missing " + id);
        }
      }
      for (var e : counts.entrySet()) {
        if (e.getValue() > 1) {
          duplicated++;
          if (examples.size() < 10) examples.add(e.getValue() + "x " + e.getKey());
        }
        if (!acked.contains(e.getKey())) unacked++;
      }
    }
    return new Verdict(ack, found, missing, duplicated, unacked, examples);
  }

  /** event id → how often the user's journal holds it. */
  private static Map<String, Integer> journal(ChaosHttp http, String nodeUrl, String token, String user) {
    var counts = new HashMap<String, Integer>();
    long after = 0;
    while (true) {
      var url = nodeUrl + "/api/v1/users/" + user + "/events?after_seq=" + after + "&limit=100";
      var reply = http.get(url, token);
      // a node still busy with the load's backlog may time a read out: the check waits for it, a few times
      for (int attempt = 1; !reply.ok() && attempt < 5; attempt++) reply = http.get(url, token);
      if (!reply.ok()) {
        throw new IllegalStateException("reading the journal of " + user + " failed: "
            + (reply.status() == 0 ? reply.failure() : reply.status() + " " + reply.body()));
      }
      var json = reply.json();
      var events = json.path("events");
      for (var e : events) {
        if (e.hasNonNull("event_id")) counts.merge(e.path("event_id").asText(), 1, Integer::sum);
        after = Math.max(after, e.path("seq_nr").asLong());
      }
      if (events.size() < 100) return counts;
    }
  }
}
