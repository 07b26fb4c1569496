package dev.netkeeper.identity;

import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;
import scala.Option;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The cluster Artery's TLS (set as {@code pekko.remote.artery.ssl.ssl-engine-provider}): mutual TLS 1.3 with the
 * node CA of {@code netkeeper.tls.dir}. A peer must present a certificate that the node CA signed and that names a
 * host id ({@code host-ID}); a session this node dialed also records that host id for the address dialed
 * ({@link VerifiedHosts}), so that a member's claimed host id can be checked against what it proved. The files are
 * read again when they change (rotation without a restart).
 */
public final class MemberTls implements SSLEngineProvider {
    private static final String PROTOCOL = "TLSv1.3";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MemberTls.class);
    private final Path dir;
    private final VerifiedHosts verified;
    private volatile Loaded loaded;

    private record Loaded(SSLContext context, List<Long> stamps) {}

    public MemberTls(ActorSystem system) {
        this.dir = Path.of(system.settings().config().getString("netkeeper.tls.dir"));
        this.verified = VerifiedHosts.of(system);
        context(); // made now, not inside the first connection's handshake: a joining member's seeds answer in time
    }

    @Override
    public SSLEngine createServerSSLEngine(String hostname, int port) {
        SSLEngine engine = context().createSSLEngine(hostname, port);
        engine.setUseClientMode(false);
        engine.setNeedClientAuth(true);
        engine.setEnabledProtocols(new String[] {PROTOCOL});
        return engine;
    }

    @Override
    public SSLEngine createClientSSLEngine(String hostname, int port) {
        SSLEngine engine = context().createSSLEngine(hostname, port);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {PROTOCOL});
        return engine;
    }

    /**
     * Pekko calls this for a session this node opened (it dialed a member at {@code hostname} and the engine's
     * port): the member's certificate must name a host id, which is recorded for the address dialed.
     */
    @Override
    public Option<Throwable> verifyClientSession(String hostname, SSLSession session) {
        Optional<String> host = hostId(session);
        if (host.isEmpty()) {
            return Option.apply(new SSLException("the member at " + hostname + " has a certificate that names no host id"));
        }
        verified.verified(session.getPeerHost(), session.getPeerPort(), host.get());
        LOG.debug("the member at {}:{} proved host {}", session.getPeerHost(), session.getPeerPort(), host.get());
        return Option.empty();
    }

    /** For a session a member opened to this node: its certificate must name a host id. */
    @Override
    public Option<Throwable> verifyServerSession(String hostname, SSLSession session) {
        return hostId(session).isPresent() ? Option.empty()
                : Option.apply(new SSLException("a member connected with a certificate that names no host id"));
    }

    private static Optional<String> hostId(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate c ? Credentials.hostIdOf(c) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** The TLS context of the files as they are now (made again when one of them changed). */
    private SSLContext context() {
        List<Long> stamps = stamps();
        Loaded l = loaded;
        if (l == null || !l.stamps().equals(stamps)) {
            synchronized (this) {
                l = loaded;
                if (l == null || !l.stamps().equals(stamps)) {
                    l = new Loaded(load(), stamps);
                    loaded = l;
                }
            }
        }
        return l.context();
    }

    private List<Long> stamps() {
        try {
            return List.of(Files.getLastModifiedTime(dir.resolve(NodeCredentials.KEY)).toMillis(),
                    Files.getLastModifiedTime(dir.resolve(NodeCredentials.CERT)).toMillis(),
                    Files.getLastModifiedTime(dir.resolve(NodeCredentials.CA)).toMillis());
        } catch (IOException e) {
            throw new IllegalStateException("the member credentials in " + dir + " cannot be read: " + e, e);
        }
    }

    private SSLContext load() {
        Credentials own = Credentials.read(dir.resolve(NodeCredentials.KEY), dir.resolve(NodeCredentials.CERT));
        X509Certificate ca = Credentials.readCertificate(dir.resolve(NodeCredentials.CA));
        return context(own, ca);
    }

    /** Mutual TLS with {@code own} as this side's credentials and only {@code ca} trusted. */
    static SSLContext context(Credentials own, X509Certificate ca) {
        try {
            char[] none = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, none);
            keys.setKeyEntry("own", own.key(), none, new Certificate[] {own.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, none);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, none);
            trusted.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e, e);
        }
    }
}
