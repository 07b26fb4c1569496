package dev.netkeeper.identity;

import org.apache.pekko.actor.ActorSystem;
import scala.Option;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The cluster Artery's TLS (set as {@code pekko.remote.artery.ssl.ssl-engine-provider}): mutual TLS 1.3 with the
 * node CA of {@code netkeeper.tls.dir}. A peer must present a certificate that the node CA signed and that names a
 * host id ({@code host-ID}); a session this node dialed also records that host id for the address dialed
 * ({@link VerifiedHosts}), so that a member's claimed host id can be checked against what it proved.
 */
public final class MemberTls extends MutualTls {
    private final VerifiedHosts verified;

    public MemberTls(ActorSystem system) {
        this(Path.of(system.settings().config().getString("netkeeper.tls.dir")), VerifiedHosts.of(system));
    }

    private MemberTls(Path dir, VerifiedHosts verified) {
        super(dir.resolve(NodeCredentials.KEY), dir.resolve(NodeCredentials.CERT), dir.resolve(NodeCredentials.CA));
        this.verified = verified;
    }

    /**
     * Pekko calls this for a session this node opened (it dialed a member at {@code hostname} and the engine's
     * port): the member's certificate must name a host id, which is recorded for the address dialed.
     */
    @Override
    public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
        return recordDialedHost(session, verified, "the member at " + hostname);
    }

    /** For a session a member opened to this node: its certificate must name a host id. */
    @Override
    public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
        return hostId(session).isPresent() ? Option.empty()
                : Option.apply(new SSLException("a member connected with a certificate that names no host id"));
    }

    static Optional<String> hostId(SSLSession session) {
        return peer(session).flatMap(Credentials::hostIdOf);
    }
}
