package dev.netkeeper.front;

import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;

/**
 * The attacker's stand-in for one of our serializers (same identifier): a {@link ForgedFrame} goes out as
 * its raw bytes and manifest; anything else as the real serializer writes it (so that real calls and
 * replies still work).
 */
public final class ForgedFrameSerializer extends SerializerWithStringManifest {
    private final JacksonCborSerializer real;

    public ForgedFrameSerializer(ExtendedActorSystem system, String bindingName) {
        this.real = new JacksonCborSerializer(system, bindingName);
    }

    @Override
    public int identifier() {
        return real.identifier();
    }

    @Override
    public String manifest(Object o) {
        return o instanceof ForgedFrame f ? f.manifest() : real.manifest(o);
    }

    @Override
    public byte[] toBinary(Object o) {
        return o instanceof ForgedFrame f ? f.bytes() : real.toBinary(o);
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) {
        return real.fromBinary(bytes, manifest);
    }
}
