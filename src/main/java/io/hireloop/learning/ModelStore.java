package io.hireloop.learning;

import io.hireloop.platform.ReadModelStore;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/** Model bytes in Cassandra ({@code model_blobs}), so that every node can load every version. */
public final class ModelStore {
  private final ReadModelStore store;

  public ModelStore(ReadModelStore store) {
    this.store = store;
  }

  public CompletionStage<Done> save(String name, int version, byte[] bytes) {
    return store.session().executeWrite(
        "INSERT INTO " + store.table("model_blobs") + " (name, version, bytes, created_at) VALUES (?, ?, ?, ?)",
        name, version, ByteBuffer.wrap(bytes), Instant.now());
  }

  public CompletionStage<Optional<byte[]>> load(String name, int version) {
    return store.session()
        .selectOne("SELECT bytes FROM " + store.table("model_blobs") + " WHERE name = ? AND version = ?", name, version)
        .thenApply(row -> row.map(r -> {
          var buf = r.getByteBuffer("bytes");
          var bytes = new byte[buf.remaining()];
          buf.get(bytes);
          return bytes;
        }));
  }
}
