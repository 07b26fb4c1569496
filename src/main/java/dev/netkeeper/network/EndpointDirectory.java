package dev.netkeeper.network;

import dev.netkeeper.api.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which network and endpoint a container interface (by srcName) belongs to, so that a namespace can
 * take an Interface value and find its owner. Kept in memory and fed by the network entities, which
 * all re-register their endpoints when they wake at start-up.
 */
public final class EndpointDirectory {
    public interface Command extends CborSerializable {}

    public record Register(String srcName, String network, String endpoint) implements Command {}

    public record Unregister(String srcName) implements Command {}

    public record Lookup(String srcName, ActorRef<Found> replyTo) implements Command {}

    /** Empty when no network of this agent linked that interface. */
    public record Found(Optional<Owner> owner) implements CborSerializable {}

    public record Owner(String network, String endpoint) implements CborSerializable {}

    private EndpointDirectory() {}

    public static Behavior<Command> create() {
        return Behaviors.setup(ctx -> {
            Map<String, Owner> owners = new HashMap<>();
            return Behaviors.receive(Command.class)
                    .onMessage(Register.class, r -> {
                        owners.put(r.srcName(), new Owner(r.network(), r.endpoint()));
                        return Behaviors.same();
                    })
                    .onMessage(Unregister.class, u -> {
                        owners.remove(u.srcName());
                        return Behaviors.same();
                    })
                    .onMessage(Lookup.class, l -> {
                        l.replyTo().tell(new Found(Optional.ofNullable(owners.get(l.srcName()))));
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
