package io.hireloop.reminders;

import io.hireloop.platform.ReadModelStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/** The tables of {@code projections/reminders.cql}: pending reminders by time bucket, and the bucket index. */
final class ReminderTable {
  /** One reminder waiting to be fired; {@code appliedAt}: the application's timestamp (null in rows written before it was stored). */
  record Row(Instant bucket, Instant fireAt, String userId, String applicationId, int step, Instant dueAt, Instant appliedAt) {}

  private static final int SHARD = 0;
  private final ReadModelStore store;
  private final long bucketMillis;

  ReminderTable(ReadModelStore store, Duration bucket) {
    this.store = store;
    this.bucketMillis = bucket.toMillis();
  }

  Instant bucketOf(Instant t) {
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), bucketMillis) * bucketMillis);
  }

  Instant bucketEnd(Instant bucket) {
    return bucket.plusMillis(bucketMillis);
  }

  /** Upserts: a redelivered application event writes the same row again. */
  CompletionStage<Done> insert(String userId, String applicationId, int step, Instant dueAt, Instant fireAt, Instant appliedAt) {
    var bucket = bucketOf(fireAt);
    return store.session().executeWrite("INSERT INTO " + store.table("reminder_buckets") + " (shard, bucket) VALUES (?, ?)", SHARD, bucket)
        .thenCompose(d -> store.session().executeWrite("INSERT INTO " + store.table("reminders_due")
            + " (bucket, fire_at, user_id, application_id, step, due_at, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            bucket, fireAt, userId, applicationId, step, dueAt, appliedAt));
  }

  CompletionStage<List<Instant>> bucketsUpTo(Instant now) {
    return store.session().selectAll("SELECT bucket FROM " + store.table("reminder_buckets") + " WHERE shard = ? AND bucket <= ?",
            SHARD, bucketOf(now))
        .thenApply(rows -> rows.stream().map(r -> r.getInstant("bucket")).toList());
  }

  CompletionStage<List<Row>> dueIn(Instant bucket, Instant now, int limit) {
    return store.session().selectAll("SELECT bucket, fire_at, user_id, application_id, step, due_at, applied_at FROM " + store.table("reminders_due")
            + " WHERE bucket = ? AND fire_at <= ? LIMIT " + limit, bucket, now)
        .thenApply(rows -> rows.stream().map(ReminderTable::row).toList());
  }

  CompletionStage<Done> delete(Row row) {
    return store.session().executeWrite("DELETE FROM " + store.table("reminders_due")
        + " WHERE bucket = ? AND fire_at = ? AND user_id = ? AND application_id = ? AND step = ?",
        row.bucket(), row.fireAt(), row.userId(), row.applicationId(), row.step());
  }

  CompletionStage<Done> deleteBucket(Instant bucket) {
    return store.session().executeWrite("DELETE FROM " + store.table("reminder_buckets") + " WHERE shard = ? AND bucket = ?", SHARD, bucket);
  }

  CompletionStage<Boolean> bucketEmpty(Instant bucket) {
    return store.session().selectOne("SELECT fire_at FROM " + store.table("reminders_due") + " WHERE bucket = ? LIMIT 1", bucket)
        .thenApply(java.util.Optional::isEmpty);
  }

  private static Row row(com.datastax.oss.driver.api.core.cql.Row r) {
    return new Row(r.getInstant("bucket"), r.getInstant("fire_at"), r.getString("user_id"), r.getString("application_id"),
        r.getInt("step"), r.getInstant("due_at"), r.getInstant("applied_at"));
  }

  CompletionStage<Done> truncate() {
    return store.session().executeDDL("TRUNCATE " + store.table("reminders_due"))
        .thenCompose(d -> store.session().executeDDL("TRUNCATE " + store.table("reminder_buckets")));
  }
}
