package io.hireloop.platform.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;
import scala.reflect.ClassTag$;

/**
 * Pekko serializer for every {@link HireloopSerializable} (bound in serialization.conf). Writes
 * {@code writeClassAndObject}: the registration id from {@link KryoRegistrations} then the object, so no
 * manifest is needed. Kryo instances are not thread-safe: they, and their buffers, are pooled.
 */
public final class KryoSerializer extends JSerializer {
  /** Stored with every journal row and snapshot: NEVER change it, or nothing written before can be read. */
  public static final int IDENTIFIER = 47110001;

  private static final int POOL_SIZE = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
  /** Output buffers that grew beyond this are dropped instead of pooled, so one huge message doesn't pin memory. */
  private static final int MAX_POOLED_BUFFER = 1 << 20;

  private static final byte[] EMPTY = new byte[0];
  private static final String TEST_REGISTRATIONS = "hireloop.serialization.kryo.test-registrations";

  private final Pool<Kryo> kryos;
  private final Pool<Output> outputs;
  private final Pool<Input> inputs;

  public KryoSerializer(ExtendedActorSystem system) {
    this(() -> ActorRefResolver.get(Adapter.toTyped(system)), testRegistrations(system));
  }

  /** For tests and tools without an ActorSystem: same bytes, but ActorRefs fail. */
  public static KryoSerializer withoutActorSystem() {
    return new KryoSerializer(null, List.of());
  }

  private KryoSerializer(Supplier<ActorRefResolver> resolver, List<KryoRegistrations.Entry> testOnly) {
    ActorRefKryoSerializer actorRefs = new ActorRefKryoSerializer(resolver);
    kryos = new Pool<>(true, false, POOL_SIZE) {
      @Override
      protected Kryo create() {
        return KryoRegistrations.newKryo(actorRefs, testOnly);
      }
    };
    outputs = new Pool<>(true, false, POOL_SIZE) {
      @Override
      protected Output create() {
        return new Output(4096, -1);
      }
    };
    inputs = new Pool<>(true, false, POOL_SIZE) {
      @Override
      protected Input create() {
        return new Input();
      }
    };
  }

  /** Test-only classes, {@code "fully.qualified.Name" = id} with ids 900–999 (see serialization.conf). */
  private static List<KryoRegistrations.Entry> testRegistrations(ExtendedActorSystem system) {
    Config config = system.settings().config();
    if (!config.hasPath(TEST_REGISTRATIONS)) return List.of();
    List<KryoRegistrations.Entry> entries = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : config.getObject(TEST_REGISTRATIONS).entrySet()) {
      Class<?> type = system.dynamicAccess().getClassFor(e.getKey(), ClassTag$.MODULE$.Any()).get();
      entries.add(new KryoRegistrations.Entry(((Number) e.getValue().unwrapped()).intValue(), type, null));
    }
    return entries;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object o) {
    Kryo kryo = kryos.obtain();
    Output output = outputs.obtain();
    try {
      kryo.writeClassAndObject(output, o);
      return output.toBytes();
    } finally {
      kryos.free(kryo);
      if (output.getBuffer().length <= MAX_POOLED_BUFFER) {
        output.reset();
        outputs.free(output);
      }
    }
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    Kryo kryo = kryos.obtain();
    Input input = inputs.obtain();
    try {
      input.setBuffer(bytes);
      Object o = kryo.readClassAndObject(input);
      if (input.position() != bytes.length) {
        // A component count or type that no longer matches the bytes: fail instead of returning garbage.
        throw new KryoException("Read " + input.position() + " of " + bytes.length + " bytes decoding "
            + (o == null ? "null" : o.getClass().getName()) + ": schema mismatch (see KryoRegistrations)");
      }
      return o;
    } finally {
      input.setBuffer(EMPTY); // don't keep the message alive from the pool
      kryos.free(kryo);
      inputs.free(input);
    }
  }
}
