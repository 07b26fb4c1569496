package dev.netkeeper.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/** An ActorSystem with the agent's (cluster's) serialization settings (its application.conf), for round-trip tests. */
public final class SerializationTestKit {
    private SerializationTestKit() {}

    public static ActorTestKit start(String name) {
        Config config = ConfigFactory.parseString("pekko.actor.provider = local\n"
                        + "pekko.remote.artery.canonical.port = 0")
                .withFallback(ConfigFactory.parseResources("application.conf"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
        return ActorTestKit.create(name, config);
    }

    /**
     * An ActorSystem with only what the jar's reference.conf gives, as the agent's client door and every
     * client have it: the public protocol bound, nothing internal.
     */
    public static ActorTestKit startPublic(String name) {
        Config config = ConfigFactory.parseString("pekko.actor.provider = local")
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
        return ActorTestKit.create(name, config);
    }

    public static Serialization serialization(ActorTestKit kit) {
        return SerializationExtension.get(Adapter.toClassic(kit.system()));
    }
}
