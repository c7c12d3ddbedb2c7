package io.hireloop.coldstart;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/** Where the {@code user-profiles} read model keeps its rows (Cassandra in a node; memory in handler tests). */
public interface ProfileOutcomeRows {
  CompletionStage<Optional<ProfileOutcomes>> load(String userId);

  CompletionStage<Done> save(String userId, ProfileOutcomes row);

  /** Every user's row as a peer (the cold start's population). */
  CompletionStage<List<Peer>> all();

  CompletionStage<Done> truncate();
}
