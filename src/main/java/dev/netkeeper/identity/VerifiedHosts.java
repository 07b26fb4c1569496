package dev.netkeeper.identity;

import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What TLS proved about the members this node dialed: "host:port" (the address dialed, a member's canonical
 * address) → the host id its certificate names. Filled by {@link MemberTls} as each outbound session is verified;
 * read by whoever must not take a member's word for its host id (its role, its netlink actor's key).
 */
public final class VerifiedHosts implements Extension {
    public static final Id ID = new Id();
    private final Map<String, String> byAddress = new ConcurrentHashMap<>();

    public static final class Id extends AbstractExtensionId<VerifiedHosts> {
        @Override
        public VerifiedHosts createExtension(ExtendedActorSystem system) {
            return new VerifiedHosts();
        }
    }

    public static VerifiedHosts of(org.apache.pekko.actor.ActorSystem system) {
        return ID.get(system);
    }

    void verified(String host, int port, String hostId) {
        byAddress.put(host + ":" + port, hostId);
    }

    /** The host id proved by the member at {@code host:port}, if this node has verified one there. */
    public Optional<String> hostAt(String host, int port) {
        return Optional.ofNullable(byAddress.get(host + ":" + port));
    }
}
