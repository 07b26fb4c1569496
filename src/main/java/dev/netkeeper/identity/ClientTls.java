package dev.netkeeper.identity;

import org.apache.pekko.actor.ActorSystem;
import scala.Option;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.nio.file.Path;

/**
 * A remote client's TLS (its ActorSystem's {@code ssl-engine-provider}): it presents the client credentials of
 * {@code netkeeper.tls.dir} (the directory {@code netkeeper certs client} wrote) and trusts only the node CA, so
 * it talks to agents and nobody else. The agent it dialed must name a host id, recorded for the address dialed
 * ({@link VerifiedHosts}): a client signs a session challenge only for the host that proved itself there.
 */
public final class ClientTls extends MutualTls {
    private final VerifiedHosts verified;

    public ClientTls(ActorSystem system) {
        this(Path.of(system.settings().config().getString("netkeeper.tls.dir")), VerifiedHosts.of(system));
    }

    private ClientTls(Path dir, VerifiedHosts verified) {
        super(dir.resolve(ClientCredentials.KEY), dir.resolve(ClientCredentials.CERT), dir.resolve(NodeCredentials.CA));
        this.verified = verified;
    }

    /** A session the client dialed: the agent's door. */
    @Override
    public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
        return recordDialedHost(session, verified, "the agent at " + hostname);
    }

    /** A session an agent's door opened to answer this client. */
    @Override
    public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
        return MemberTls.hostId(session).isPresent() ? Option.empty()
                : Option.apply(new SSLException("an answer came from a certificate that names no host id"));
    }
}
