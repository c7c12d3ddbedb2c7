package io.hireloop.privacy;

import io.hireloop.journey.JourneyService;
import io.hireloop.platform.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Everything Hireloop holds about one user as one JSON document, streamed: the journal (every event, oldest first, read
 * page by page so a long history never sits in memory) and then the user's rows of every read model
 * ({@link PersonalData}), each row as the JSON of its columns.
 * <pre>
 * {"user_id", "exported_at", "journal": [events as GET /users/{id}/events renders them],
 *  "read_models": {"table": [rows…], …}, "notes": […]}
 * </pre>
 */
public final class UserExport {
  static final int PAGE = 500;
  static final List<String> NOTES = List.of(
      "journal: every event recorded about the user, including experiment exposures, preference changes and reminders sent",
      "read_models: the user's rows of every table derived from the journal (PersonalData lists them and why others are absent)",
      "configs: Hireloop keeps no configuration per user; component configs are global and hold no personal data");

  private final JourneyService journey;
  private final PersonalData personalData;

  public UserExport(JourneyService journey, PersonalData personalData) {
    this.journey = journey;
    this.personalData = personalData;
  }

  public Source<ByteString, NotUsed> document(String userId) {
    var experiments = ConcurrentHashMap.<String>newKeySet();
    var weeks = ConcurrentHashMap.<java.time.LocalDate>newKeySet();
    var head = Source.single(ByteString.fromString("{\"user_id\":" + Json.write(userId) + ",\"exported_at\":"
        + Json.write(Instant.now().toString()) + ",\"journal\":["));
    Source<ByteString, NotUsed> journal = Source.<Long, List<Map<String, Object>>>unfoldAsync(0L, after ->
            journey.events(userId, after, PAGE).thenApply(page -> page.events().isEmpty()
                ? Optional.<Pair<Long, List<Map<String, Object>>>>empty()
                : Optional.of(Pair.create(page.nextAfterSeq(), page.events()))))
        .mapConcat(events -> events)
        .zipWithIndex()
        .map(pair -> {
          var event = pair.first();
          facts(event, experiments, weeks);
          return ByteString.fromString((pair.second() == 0 ? "" : ",") + Json.write(event));
        });
    Source<ByteString, NotUsed> tail = Source.lazyCompletionStageSource(() -> personalData
            .rowsOf(userId, new PersonalData.JournalFacts(Set.copyOf(experiments), Set.copyOf(weeks)))
            .thenApply(tables -> Source.single(ByteString.fromString(tail(tables)))))
        .mapMaterializedValue(m -> NotUsed.getInstance());
    return head.concat(journal).concat(tail);
  }

  static void facts(Map<String, Object> event, Set<String> experiments, Set<java.time.LocalDate> weeks) {
    if ("EXPERIMENT_EXPOSED".equals(event.get("event_type")) && event.get("experiment_id") instanceof String id) experiments.add(id);
    if (event.get("timestamp") instanceof String ts) {
      try {
        weeks.add(PersonalData.JournalFacts.weekOf(Instant.parse(ts)));
      } catch (java.time.format.DateTimeParseException ignored) {
        // every stored timestamp is ISO-8601; a week the user has no facts in is simply not asked for
      }
    }
  }

  static String tail(List<PersonalData.TableRows> tables) {
    var sb = new StringBuilder("],\"read_models\":{");
    for (int t = 0; t < tables.size(); t++) {
      if (t > 0) sb.append(',');
      sb.append(Json.write(tables.get(t).table())).append(":[").append(String.join(",", tables.get(t).rowsJson())).append(']');
    }
    return sb.append("},\"notes\":").append(Json.write(NOTES)).append('}').toString();
  }
}
