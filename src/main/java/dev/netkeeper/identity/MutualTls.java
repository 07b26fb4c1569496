package dev.netkeeper.identity;

import org.apache.pekko.remote.artery.tcp.SSLEngineProvider;

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

import scala.Option;

/**
 * An Artery {@code ssl-engine-provider} of mutual TLS 1.3 from PEM files: this side's key and certificate, and the
 * one CA it trusts (no other: not the JVM's). Both ends present certificates, whichever dialed. The files are read
 * again when one of them changes, so that new credentials written in place (renamed over the old) take effect for
 * the next connection without a restart. What a peer's certificate must name is the subclass's rule.
 */
public abstract class MutualTls implements SSLEngineProvider {
    private static final String PROTOCOL = "TLSv1.3";
    private final Path key;
    private final Path certificate;
    private final Path trusted;
    private volatile Loaded loaded;

    private record Loaded(SSLContext context, List<Long> stamps) {}

    MutualTls(Path key, Path certificate, Path trusted) {
        this.key = key;
        this.certificate = certificate;
        this.trusted = trusted;
        context(); // made now, not inside the first connection's handshake: a peer's first answer comes in time
    }

    @Override
    public final SSLEngine createServerSSLEngine(String hostname, int port) {
        SSLEngine engine = context().createSSLEngine(hostname, port);
        engine.setUseClientMode(false);
        engine.setNeedClientAuth(true);
        engine.setEnabledProtocols(new String[] {PROTOCOL});
        return engine;
    }

    @Override
    public final SSLEngine createClientSSLEngine(String hostname, int port) {
        SSLEngine engine = context().createSSLEngine(hostname, port);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {PROTOCOL});
        return engine;
    }

    /**
     * For a session this side dialed: the peer's certificate must name a host id, which is recorded for the address
     * dialed ({@link VerifiedHosts}); {@code who} names the peer in the refusal.
     */
    static Option<Throwable> recordDialedHost(SSLSession session, VerifiedHosts verified, String who) {
        Optional<String> host = peer(session).flatMap(Credentials::hostIdOf);
        if (host.isEmpty()) {
            return Option.apply(new SSLException(who + " has a certificate that names no host id"));
        }
        verified.verified(session.getPeerHost(), session.getPeerPort(), host.get());
        return Option.empty();
    }

    /** The peer's own certificate (the first of its chain), which the trusted CA signed. */
    static Optional<X509Certificate> peer(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate c ? Optional.of(c) : Optional.empty();
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
                    l = new Loaded(context(Credentials.read(key, certificate), Credentials.readCertificate(trusted)), stamps);
                    loaded = l;
                }
            }
        }
        return l.context();
    }

    private List<Long> stamps() {
        try {
            return List.of(Files.getLastModifiedTime(key).toMillis(), Files.getLastModifiedTime(certificate).toMillis(),
                    Files.getLastModifiedTime(trusted).toMillis());
        } catch (IOException e) {
            throw new IllegalStateException("the TLS credentials " + key + ", " + certificate + " or " + trusted
                    + " cannot be read: " + e, e);
        }
    }

    /** Mutual TLS with {@code own} as this side's credentials and only {@code ca} trusted. */
    public static SSLContext context(Credentials own, X509Certificate ca) {
        try {
            char[] none = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, none);
            keys.setKeyEntry("own", own.key(), none, new Certificate[] {own.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, none);
            KeyStore trustedStore = KeyStore.getInstance("PKCS12");
            trustedStore.load(null, none);
            trustedStore.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustedStore);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e, e);
        }
    }
}
