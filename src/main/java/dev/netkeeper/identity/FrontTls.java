package dev.netkeeper.identity;

import org.apache.pekko.actor.ActorSystem;
import scala.Option;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.nio.file.Path;

/**
 * The client door's TLS (the front ActorSystem's {@code ssl-engine-provider}): mutual TLS 1.3 where the agent
 * presents its host credentials and trusts only the client CA of {@code netkeeper.tls.dir}. Whoever connects, and
 * whoever the door dials back to answer (Artery answers over a connection of its own, to the caller's address),
 * must hold a certificate the client CA signed that names a client ({@code client-NAME}). A node certificate is
 * no client's: the two CAs are apart.
 */
public final class FrontTls extends MutualTls {
    public FrontTls(ActorSystem system) {
        this(Path.of(system.settings().config().getString("netkeeper.tls.dir")));
    }

    private FrontTls(Path dir) {
        super(dir.resolve(NodeCredentials.KEY), dir.resolve(NodeCredentials.CERT), dir.resolve(ClientCredentials.CA));
    }

    /** A session the door dialed, to answer a caller: the caller's side must be a client too. */
    @Override
    public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
        return named(session, "the caller at " + hostname);
    }

    /** A session a caller opened. */
    @Override
    public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
        return named(session, "a caller");
    }

    private static Option<Throwable> named(SSLSession session, String who) {
        return peer(session).flatMap(Credentials::clientNameOf).isPresent() ? Option.empty()
                : Option.apply(new SSLException(who + " has a certificate that names no client"));
    }
}
