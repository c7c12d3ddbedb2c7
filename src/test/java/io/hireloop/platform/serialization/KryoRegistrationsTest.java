package io.hireloop.platform.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KryoRegistrationsTest {
  @Test
  void idsAreUniqueAndNoClassIsRegisteredTwice() {
    Map<Integer, Class<?>> byId = new HashMap<>();
    Map<Class<?>, Integer> byClass = new HashMap<>();
    for (KryoRegistrations.Entry e : KryoRegistrations.TABLE) {
      Class<?> prev = byId.put(e.id(), e.type());
      assertEquals(null, prev, "id " + e.id() + " used for both " + prev + " and " + e.type());
      Integer prevId = byClass.put(e.type(), e.id());
      assertEquals(null, prevId, e.type() + " registered twice: ids " + prevId + " and " + e.id());
    }
  }

  @Test
  void idsAreInTheTableRanges() {
    for (KryoRegistrations.Entry e : KryoRegistrations.TABLE) {
      assertTrue((e.id() >= 100 && e.id() < KryoRegistrations.TEST_IDS_FROM) || (e.id() > KryoRegistrations.TEST_IDS_TO && e.id() < 1100),
          e.type() + " has id " + e.id() + " outside 100–899 and 1000–1099 (900–999 are test-only)");
    }
  }

  @Test
  void kryoUsesExactlyTheTableIds() {
    Kryo k = KryoRegistrations.newKryo(new ActorRefKryoSerializer(null));
    for (KryoRegistrations.Entry e : KryoRegistrations.TABLE) {
      assertSame(e.type(), k.getRegistration(e.id()).getType(), "id " + e.id());
      assertEquals(e.id(), k.getRegistration(e.type()).getId(), e.type().getName());
    }
  }
}
