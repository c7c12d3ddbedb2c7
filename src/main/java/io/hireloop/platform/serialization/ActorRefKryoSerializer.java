package io.hireloop.platform.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;

/**
 * Typed ActorRef as its serialization format (a full actor path with address and uid), resolved back
 * through {@link ActorRefResolver}. Stateless apart from the lazily obtained resolver, so one instance is
 * shared by all pooled Kryo instances.
 */
public final class ActorRefKryoSerializer extends Serializer<ActorRef<?>> {
  private final Supplier<ActorRefResolver> resolverSupplier;
  private volatile ActorRefResolver resolver;

  /** @param resolverSupplier called once on first use (not at serializer creation: Pekko builds serializers during system start); null = no ActorSystem */
  public ActorRefKryoSerializer(Supplier<ActorRefResolver> resolverSupplier) {
    super(false, true);
    this.resolverSupplier = resolverSupplier;
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      if (resolverSupplier == null) {
        throw new KryoException("ActorRef needs an ActorSystem: use the KryoSerializer created by Pekko's SerializationExtension");
      }
      r = resolverSupplier.get();
      resolver = r;
    }
    return r;
  }

  @Override
  public void write(Kryo kryo, Output output, ActorRef<?> ref) {
    output.writeString(resolver().toSerializationFormat(ref));
  }

  @Override
  public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
    return resolver().resolveActorRef(input.readString());
  }
}
