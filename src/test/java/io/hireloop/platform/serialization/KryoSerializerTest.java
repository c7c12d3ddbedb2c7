package io.hireloop.platform.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hireloop.journey.Domain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KryoSerializerTest {
  private final KryoSerializer serializer = KryoSerializer.withoutActorSystem();

  private Object roundTrip(Object o) {
    return serializer.fromBinaryJava(serializer.toBinary(o), null);
  }

  @Test
  void domainRecordsRoundTripIncludingNulls() {
    for (GoldenSamples.Sample s : GoldenSamples.ALL) {
      assertEquals(s.instance(), roundTrip(s.instance()), s.name());
    }
    var allNull = new Domain.ApplicationContext(null, Double.NaN, null,
        new Domain.JobCharacteristics(null, null, null, null, null), -0.0, false);
    assertEquals(allNull, roundTrip(allNull));
    assertEquals(new Domain.Outcome(null, null, null), roundTrip(new Domain.Outcome(null, null, null)));
    assertEquals(null, roundTrip(null));
  }

  @Test
  void immutableCollectionsComeBackImmutableAndEqual() {
    List<Object> samples = List.of(
        List.of(), List.of(1), List.of(1, 2), List.of(1, 2, 3), List.copyOf(new ArrayList<>(List.of("x", "y", "z"))),
        Stream.of("a", "b").toList(), List.of(1, 2, 3, 4).subList(1, 3),
        Set.of(), Set.of("a"), Set.of("a", "b"), Set.of("a", "b", "c"), Set.copyOf(List.of(3, 1, 2)),
        Map.of(), Map.of("a", 1), Map.of("a", 1, "b", 2), Map.ofEntries(Map.entry("x", List.of(Instant.EPOCH))),
        Map.copyOf(Map.of("k", new Domain.Outcome("offer", 3, null))));
    for (Object o : samples) {
      Object back = roundTrip(o);
      assertEquals(o, back, o.getClass().getName());
      assertThrows(UnsupportedOperationException.class, () -> mutate(back), "immutable: " + o);
    }
  }

  @SuppressWarnings("unchecked")
  private static void mutate(Object o) {
    if (o instanceof Map<?, ?> m) ((Map<Object, Object>) m).put("new", 1);
    else ((java.util.Collection<Object>) o).add("new");
  }

  @Test
  void immutableSetAndMapBytesDoNotDependOnIterationOrder() {
    // Set.of iteration order differs between JVM runs; equal sets built in different orders must encode alike.
    assertEquals(Arrays.toString(serializer.toBinary(Set.of("reach", "target", "safety"))),
        Arrays.toString(serializer.toBinary(Set.copyOf(List.of("safety", "target", "reach")))));
    assertEquals(Arrays.toString(serializer.toBinary(Map.of("a", 1, "b", 2, "c", 3))),
        Arrays.toString(serializer.toBinary(Map.copyOf(new TreeMap<>(Map.of("c", 3, "b", 2, "a", 1))))));
  }

  @Test
  void mutableAndWrappedJdkTypesRoundTrip() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("list", new ArrayList<>(List.of(1L, 2L)));
    m.put("hash", new HashMap<>(Map.of("x", 1.5)));
    m.put("tree", new TreeMap<>(Map.of("b", 2, "a", 1)));
    m.put("empty", Collections.emptyList());
    m.put("single", Collections.singletonList("s"));
    m.put("unmodList", Collections.unmodifiableList(new ArrayList<>(List.of("u"))));
    m.put("unmodSet", Collections.unmodifiableSet(new java.util.HashSet<>(Set.of("v"))));
    m.put("unmodMap", Collections.unmodifiableMap(new HashMap<>(Map.of("w", 1))));
    m.put("asList", Arrays.asList("p", "q"));
    m.put("instant", Instant.parse("2024-02-29T23:59:59.999999999Z"));
    m.put("uuid", UUID.fromString("7d444840-9dc0-11d1-b245-5ffdce74fad2"));
    m.put("done", org.apache.pekko.Done.getInstance());
    assertEquals(m, roundTrip(m));
    assertSame(org.apache.pekko.Done.getInstance(), roundTrip(org.apache.pekko.Done.getInstance()));

    String[] strings = {"a", null, "c"};
    assertTrue(Arrays.equals(strings, (String[]) roundTrip(strings)));
    double[] doubles = {1.0, -2.5, Double.NaN};
    assertTrue(Arrays.equals(doubles, (double[]) roundTrip(doubles)));
    byte[] bytes = {0, 1, -1, 127};
    assertTrue(Arrays.equals(bytes, (byte[]) roundTrip(bytes)));
  }

  record NotInTheTable(String x) implements HireloopSerializable {}

  @Test
  void unregisteredClassFailsNamingTheClassAndTheTable() {
    Exception e = assertThrows(Exception.class, () -> serializer.toBinary(new NotInTheTable("x")));
    assertTrue(e.getMessage().contains(NotInTheTable.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("KryoRegistrations"), e.getMessage());
    // nested inside a registered collection: same message
    Exception nested = assertThrows(Exception.class, () -> serializer.toBinary(List.of(new NotInTheTable("x"))));
    assertTrue(nested.getMessage().contains(NotInTheTable.class.getName()), nested.getMessage());
  }

  @Test
  void actorRefWithoutActorSystemFailsClearly() {
    // typed refs need the serializer Pekko creates; the tool-only instance says so instead of NPE-ing
    Exception e = assertThrows(Exception.class,
        () -> serializer.toBinary(List.of(new org.apache.pekko.actor.typed.ActorRef<Object>() {
          public void tell(Object m) {}
          public <U> org.apache.pekko.actor.typed.ActorRef<U> narrow() { return null; }
          public <U> org.apache.pekko.actor.typed.ActorRef<U> unsafeUpcast() { return null; }
          public org.apache.pekko.actor.ActorPath path() { return null; }
          public int compareTo(org.apache.pekko.actor.typed.ActorRef<?> o) { return 0; }
        })));
    assertTrue(e.getMessage().contains("ActorSystem"), e.getMessage());
  }

  @Test
  void truncatedOrPaddedBytesFail() {
    byte[] ok = serializer.toBinary(new Domain.Outcome("offer", 3, "call"));
    byte[] padded = Arrays.copyOf(ok, ok.length + 1);
    assertThrows(Exception.class, () -> serializer.fromBinaryJava(padded, null));
    assertThrows(Exception.class, () -> serializer.fromBinaryJava(Arrays.copyOf(ok, ok.length - 2), null));
  }

  @Test
  void concurrentUseGivesCorrectResults() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Integer>> tasks = IntStream.range(0, 64).<Callable<Integer>>mapToObj(t -> () -> {
        int checked = 0;
        for (int i = 0; i < 2_000; i++) {
          Object o = switch (i % 4) {
            case 0 -> new Domain.ApplicationContext("m" + t, i, "reach",
                new Domain.JobCharacteristics("t" + i, "c" + t, null, "l", "i"), t * 0.5, i % 2 == 0);
            case 1 -> new Domain.Outcome("s" + t, i, null);
            case 2 -> Map.of("t", t, "i", i);
            default -> IntStream.range(0, i % 50).mapToObj(x -> "e" + t + "-" + x).collect(Collectors.toList());
          };
          Object back = roundTrip(o);
          if (!o.equals(back)) throw new AssertionError("thread " + t + " item " + i + ": " + o + " != " + back);
          checked++;
        }
        return checked;
      }).toList();
      int total = 0;
      for (Future<Integer> f : pool.invokeAll(tasks)) total += f.get();
      assertEquals(64 * 2_000, total);
    } finally {
      pool.shutdownNow();
    }
    assertFalse(Thread.currentThread().isInterrupted());
  }
}
