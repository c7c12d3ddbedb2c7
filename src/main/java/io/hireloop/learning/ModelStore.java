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
        .thenApply(row -> row.map(ModelStore::bytes));
  }

  /** A version's online-updated bytes as {@code revision} (see {@code model_revisions}). */
  public CompletionStage<Done> saveRevision(String name, int version, int revision, long updates, byte[] bytes) {
    return store.session().executeWrite(
        "INSERT INTO " + store.table("model_revisions") + " (name, version, revision, bytes, updates, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        name, version, revision, ByteBuffer.wrap(bytes), updates, Instant.now());
  }

  /** Revision 0 is the version as trained ({@code model_blobs}). */
  public CompletionStage<Optional<byte[]>> load(String name, int version, int revision) {
    if (revision == 0) return load(name, version);
    return store.session()
        .selectOne("SELECT bytes FROM " + store.table("model_revisions") + " WHERE name = ? AND version = ? AND revision = ?",
            name, version, revision)
        .thenApply(row -> row.map(ModelStore::bytes));
  }

  private static byte[] bytes(com.datastax.oss.driver.api.core.cql.Row r) {
    var buf = r.getByteBuffer("bytes");
    var bytes = new byte[buf.remaining()];
    buf.get(bytes);
    return bytes;
  }
}
