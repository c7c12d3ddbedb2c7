package io.hireloop.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JourneySlicesTest {

  @Test
  void aUsersEarlierSliceIsTheirSliceNowModuloTheEarlierCount() {
    var slices = new JourneySlices(32, List.of(4, 8));
    for (int u = 0; u < 2_000; u++) {
      var user = "user-" + u;
      int now = slices.sliceOf(user);
      assertEquals(JourneySlices.sliceOf(user, 4), now % 4, user);
      assertEquals(JourneySlices.sliceOf(user, 8), now % 8, user);
      // where this user's earlier events are: an earlier tag of their slice, or the slice's own tag
      for (int c : List.of(4, 8)) {
        var t = JourneySlices.tag(JourneySlices.sliceOf(user, c));
        assertTrue(slices.earlierTags(now).contains(t) || t.equals(slices.tagFor(user)), user + " " + t);
      }
    }
  }

  @Test
  void earlierTagsAreOldestFirstWithoutTheSlicesOwnTag() {
    var slices = new JourneySlices(32, List.of(4, 8));
    assertEquals(List.of("journey-1", "journey-5"), slices.earlierTags(13));
    assertEquals(List.of("journey-1"), slices.earlierTags(9)); // 9 mod 4 = 9 mod 8 = 1
    assertEquals(List.of(), slices.earlierTags(1));
    assertEquals(32, slices.tags().size());
    assertEquals("journey-31", slices.tags().get(31));
  }

  @Test
  void countsThatDoNotDivideAreRefusedWithWhatToDo() {
    var e = assertThrows(IllegalArgumentException.class, () -> new JourneySlices(32, List.of(6)));
    assertTrue(e.getMessage().contains("must divide"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new JourneySlices(0, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new JourneySlices(32, List.of(8, 4)));
  }

  @Test
  void theShippedCountIsThirtyTwo() {
    assertEquals(new JourneySlices(32, List.of()), JourneySlices.of(ConfigFactory.load()));
    assertEquals(8, JourneySlices.configuredCount(ConfigFactory.parseMap(Map.of("hireloop.journey.slices", 8))));
  }
}
