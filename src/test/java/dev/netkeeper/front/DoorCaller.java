package dev.netkeeper.front;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.netkeeper.api.ApiMessage;
import dev.netkeeper.api.OpenSession;
import dev.netkeeper.api.ProveSession;
import dev.netkeeper.api.SessionChallenge;
import dev.netkeeper.api.SessionOpened;
import dev.netkeeper.identity.ClientTls;
import dev.netkeeper.identity.Credentials;
import dev.netkeeper.identity.SessionProof;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A caller of the client door that speaks its protocol by hand, message by message (no client library): an
 * ActorSystem with the client TLS of a credentials directory, and, on top, whatever {@code extra} configuration an
 * attacker wants (serializers of its own).
 */
final class DoorCaller implements AutoCloseable {
    final ActorTestKit kit;
    private final String door;

    DoorCaller(String name, Path credentials, String door, Config extra) {
        this.kit = ActorTestKit.create(name, extra.withFallback(ConfigFactory.parseMap(Map.of(
                        "pekko.actor.provider", "remote",
                        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
                        "pekko.remote.artery.canonical.port", 0,
                        "pekko.remote.artery.transport", "tls-tcp",
                        "pekko.remote.artery.ssl.ssl-engine-provider", ClientTls.class.getName(),
                        "netkeeper.tls.dir", credentials.toString(),
                        "pekko.loglevel", "WARNING",
                        "pekko.actor.testkit.typed.system-shutdown-default", "10s")))
                .withFallback(ConfigFactory.defaultReference()).resolve());
        this.door = door;
    }

    /** A reference to any path of the door, built without asking it (no selection, no identify). */
    org.apache.pekko.actor.ActorRef built(String path) {
        return ((ExtendedActorSystem) kit.system().classicSystem()).provider().resolveActorRef(front(path));
    }

    String front(String path) {
        return "pekko://" + ApiFront.SYSTEM + "@" + door + path;
    }

    ActorRef<ApiMessage> gateway() {
        return Adapter.toTyped(built("/user/gateway"));
    }

    SessionChallenge challenge() {
        TestProbe<SessionChallenge> probe = kit.createTestProbe();
        gateway().tell(new OpenSession(probe.ref()));
        return probe.expectMessageClass(SessionChallenge.class, Duration.ofSeconds(10));
    }

    StatusReply<SessionOpened> prove(String nonce, SessionProof.Signed signed, String declared) {
        TestProbe<StatusReply<SessionOpened>> probe = kit.createTestProbe();
        gateway().tell(new ProveSession(nonce, signed.certificate(), signed.signature(), declared, probe.ref()));
        @SuppressWarnings("unchecked")
        StatusReply<SessionOpened> reply = probe.expectMessageClass(StatusReply.class, Duration.ofSeconds(10));
        return reply;
    }

    /** A session opened as the protocol says: the challenge signed with {@code credentials}. */
    ActorRef<ApiMessage> session(Credentials credentials, String declared) {
        SessionChallenge c = challenge();
        StatusReply<SessionOpened> opened = prove(c.nonce(), SessionProof.sign(credentials, c.nonce(), c.hostId()), declared);
        if (!opened.isSuccess()) {
            throw new AssertionError("no session: " + opened);
        }
        return opened.getValue().session();
    }

    /**
     * Stops the caller's ActorSystem, waiting at most 10 s: Artery's TLS stage can keep an ActorSystem from
     * terminating after a TLS session failed (akka/akka-core#29162, open upstream), which is no behaviour of the
     * door's; the system then goes on stopping in the background.
     */
    @Override
    public void close() {
        ActorTestKit.shutdown(kit.system(), Duration.ofSeconds(10), false);
    }
}
