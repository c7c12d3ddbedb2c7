package io.hireloop.coldstart;

import io.hireloop.platform.Json;
import io.hireloop.platform.ReadModelStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/** {@code user_profiles} (projections/user_profiles.cql): one row per user, the state as JSON plus its counts. */
public final class CassandraProfileOutcomeRows implements ProfileOutcomeRows {
  private final ReadModelStore store;

  public CassandraProfileOutcomeRows(ReadModelStore store) {
    this.store = store;
  }

  @Override
  public CompletionStage<Optional<ProfileOutcomes>> load(String userId) {
    return store.session().selectOne("SELECT state FROM " + store.table("user_profiles") + " WHERE user_id = ?", userId)
        .thenApply(row -> row.map(r -> Json.read(r.getString("state"), ProfileOutcomes.class)));
  }

  @Override
  public CompletionStage<Done> save(String userId, ProfileOutcomes row) {
    return store.session().executeWrite("INSERT INTO " + store.table("user_profiles")
        + " (user_id, as_of_seq_nr, state, applications, interviews, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        userId, row.asOfSeqNr(), Json.write(row), row.applications().size(), row.interviewed().size(), Instant.now());
  }

  @Override
  public CompletionStage<List<Peer>> all() {
    return store.session().selectAll("SELECT user_id, state FROM " + store.table("user_profiles"))
        .thenApply(rows -> rows.stream()
            .map(r -> Json.read(r.getString("state"), ProfileOutcomes.class).peer(r.getString("user_id"))).toList());
  }

  @Override
  public CompletionStage<Done> truncate() {
    return store.session().executeDDL("TRUNCATE " + store.table("user_profiles"));
  }
}
