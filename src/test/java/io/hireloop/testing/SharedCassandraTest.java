package io.hireloop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.datastax.oss.driver.api.core.CqlSession;
import org.junit.jupiter.api.Test;

class SharedCassandraTest {
  @Test
  void oneNodePerJvmThatAnswersCql() {
    var node = SharedCassandra.get();
    assertSame(node, SharedCassandra.get());
    try (var session = CqlSession.builder().addContactPoint(node.contactPoint()).withLocalDatacenter("datacenter1").build()) {
      assertEquals(node.version(), session.execute("SELECT release_version FROM system.local").one().getString(0));
    }
  }
}
