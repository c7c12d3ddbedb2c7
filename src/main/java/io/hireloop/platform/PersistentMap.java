package io.hireloop.platform;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * An immutable {@link Map} whose {@link #plus} shares structure with the map it came from (a hash array mapped trie,
 * Scala's {@code immutable.HashMap}): adding an entry costs O(log32 n), not a copy of n entries. Read-only through the
 * {@code Map} interface (its mutators throw); equal to any {@code Map} with the same entries.
 */
public final class PersistentMap<K, V> extends AbstractMap<K, V> {
  private static final PersistentMap<?, ?> EMPTY = new PersistentMap<>(scala.collection.immutable.HashMap$.MODULE$.empty());

  private final scala.collection.immutable.HashMap<K, V> map;

  private PersistentMap(scala.collection.immutable.HashMap<K, V> map) {
    this.map = map;
  }

  @SuppressWarnings("unchecked")
  public static <K, V> PersistentMap<K, V> empty() {
    return (PersistentMap<K, V>) EMPTY;
  }

  /** {@code m} itself when it is one, else a copy (O(n), once). */
  public static <K, V> PersistentMap<K, V> of(Map<K, V> m) {
    if (m instanceof PersistentMap<K, V> p) return p;
    PersistentMap<K, V> out = empty();
    for (var e : m.entrySet()) out = out.plus(e.getKey(), e.getValue());
    return out;
  }

  /** This map with {@code key} mapped to {@code value}; this one is unchanged. */
  public PersistentMap<K, V> plus(K key, V value) {
    return new PersistentMap<>(map.updated(key, value));
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    var v = map.get((K) key);
    return v.isDefined() ? v.get() : null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public boolean containsKey(Object key) {
    return map.contains((K) key);
  }

  @Override
  public int size() {
    return map.size();
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        var it = map.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Map.Entry<K, V> next() {
            var t = it.next();
            return Map.entry(t._1(), t._2());
          }
        };
      }

      @Override
      public int size() {
        return map.size();
      }
    };
  }
}
