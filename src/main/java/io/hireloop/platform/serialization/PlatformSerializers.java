package io.hireloop.platform.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Kryo serializers for the JDK and Pekko classes in {@link KryoRegistrations#TABLE} that Kryo lacks or gets wrong for us. */
final class PlatformSerializers {
  private PlatformSerializers() {}

  /**
   * Set.of/Set.copyOf. Kryo ships ImmutableCollectionsSerializers (used here for List.of), but its set and
   * map serializers write in iteration order, which the JDK randomises per JVM run for Set.of/Map.of: the
   * same event would encode to different bytes on each run. We write Comparable elements sorted, so bytes
   * are stable (golden tests rely on it); other elements keep iteration order. Same format: size, elements.
   */
  static final class ImmutableSetSerializer extends Serializer<Set<Object>> {
    ImmutableSetSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, Set<Object> set) {
      Object[] elements = stableOrder(set.toArray());
      output.writeVarInt(elements.length, true);
      for (Object e : elements) kryo.writeClassAndObject(output, e);
    }

    @Override
    public Set<Object> read(Kryo kryo, Input input, Class<? extends Set<Object>> type) {
      int n = input.readVarInt(true);
      Object[] elements = new Object[n];
      for (int i = 0; i < n; i++) elements[i] = kryo.readClassAndObject(input);
      return Set.of(elements);
    }
  }

  /** Map.of/ofEntries/copyOf; keys sorted when Comparable, see {@link ImmutableSetSerializer}. */
  static final class ImmutableMapSerializer extends Serializer<Map<Object, Object>> {
    ImmutableMapSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, Map<Object, Object> map) {
      Object[] keys = stableOrder(map.keySet().toArray());
      output.writeVarInt(keys.length, true);
      for (Object k : keys) {
        kryo.writeClassAndObject(output, k);
        kryo.writeClassAndObject(output, map.get(k));
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
      int n = input.readVarInt(true);
      Map.Entry<Object, Object>[] entries = new Map.Entry[n];
      for (int i = 0; i < n; i++) {
        Object k = kryo.readClassAndObject(input);
        entries[i] = Map.entry(k, kryo.readClassAndObject(input));
      }
      return Map.ofEntries(entries);
    }
  }

  /** {@link io.hireloop.platform.PersistentMap}: written like {@link ImmutableMapSerializer}, read back as one. */
  static final class PersistentMapSerializer extends Serializer<io.hireloop.platform.PersistentMap<Object, Object>> {
    private final ImmutableMapSerializer entries = new ImmutableMapSerializer();

    PersistentMapSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, io.hireloop.platform.PersistentMap<Object, Object> map) {
      entries.write(kryo, output, map);
    }

    @Override
    public io.hireloop.platform.PersistentMap<Object, Object> read(Kryo kryo, Input input,
        Class<? extends io.hireloop.platform.PersistentMap<Object, Object>> type) {
      int n = input.readVarInt(true);
      io.hireloop.platform.PersistentMap<Object, Object> map = io.hireloop.platform.PersistentMap.empty();
      for (int i = 0; i < n; i++) {
        Object k = kryo.readClassAndObject(input);
        map = map.plus(k, kryo.readClassAndObject(input));
      }
      return map;
    }
  }

  /** Sorted copy if all elements share one Comparable class, else the array as given. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object[] stableOrder(Object[] a) {
    if (a.length < 2) return a;
    Class<?> c = a[0] == null ? null : a[0].getClass();
    if (c == null || !Comparable.class.isAssignableFrom(c)) return a;
    for (Object o : a) if (o == null || o.getClass() != c) return a;
    Object[] sorted = a.clone();
    Arrays.sort(sorted, (x, y) -> ((Comparable) x).compareTo(y));
    return sorted;
  }

  /** Collections.unmodifiable* (JDK-internal classes, not reflectable on 17): elements, read back as a wrapper. */
  static class UnmodifiableCollectionSerializer extends Serializer<Collection<Object>> {
    private final Function<List<Object>, Collection<Object>> rebuild;

    UnmodifiableCollectionSerializer(Function<List<Object>, Collection<Object>> rebuild) {
      super(false, true);
      this.rebuild = rebuild;
    }

    @Override
    public void write(Kryo kryo, Output output, Collection<Object> c) {
      output.writeVarInt(c.size(), true);
      for (Object e : c) kryo.writeClassAndObject(output, e);
    }

    @Override
    public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
      int n = input.readVarInt(true);
      List<Object> elements = new ArrayList<>(n);
      for (int i = 0; i < n; i++) elements.add(kryo.readClassAndObject(input));
      return rebuild.apply(elements);
    }
  }

  static Serializer<?> unmodifiableList() {
    return new UnmodifiableCollectionSerializer(Collections::unmodifiableList);
  }

  static Serializer<?> unmodifiableSet() {
    return new UnmodifiableCollectionSerializer(l -> Collections.unmodifiableSet(new LinkedHashSet<>(l)));
  }

  static final class UnmodifiableMapSerializer extends Serializer<Map<Object, Object>> {
    UnmodifiableMapSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, Map<Object, Object> map) {
      output.writeVarInt(map.size(), true);
      for (Map.Entry<Object, Object> e : map.entrySet()) {
        kryo.writeClassAndObject(output, e.getKey());
        kryo.writeClassAndObject(output, e.getValue());
      }
    }

    @Override
    public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
      int n = input.readVarInt(true);
      Map<Object, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        Object k = kryo.readClassAndObject(input);
        m.put(k, kryo.readClassAndObject(input));
      }
      return Collections.unmodifiableMap(m);
    }
  }

  /** org.apache.pekko.Done is a singleton: nothing to write. */
  static final class DoneSerializer extends Serializer<org.apache.pekko.Done> {
    DoneSerializer() {
      super(false, true);
    }

    @Override
    public void write(Kryo kryo, Output output, org.apache.pekko.Done done) {}

    @Override
    public org.apache.pekko.Done read(Kryo kryo, Input input, Class<? extends org.apache.pekko.Done> type) {
      return org.apache.pekko.Done.getInstance();
    }
  }
}
