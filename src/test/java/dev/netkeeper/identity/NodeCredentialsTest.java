package dev.netkeeper.identity;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fresh single host makes its node CA and credentials with safe modes; another host's credentials are issued
 * from the CA without its key; credentials of another host are refused; and mutual TLS holds between members of
 * one CA only.
 */
class NodeCredentialsTest {
    private Path root;

    @BeforeEach
    void dir() throws Exception {
        root = Files.createTempDirectory("nk-tls-");
    }

    @AfterEach
    void clean() throws Exception {
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aFreshHostMakesItsCaAndCredentialsAndOthersAreIssuedFromIt() throws Exception {
        Path first = root.resolve("alpha");
        NodeCredentials.ensure(first, "alpha");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.resolve(NodeCredentials.KEY))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.resolve(NodeCredentials.CA_KEY))));
        Credentials alpha = Credentials.read(first.resolve(NodeCredentials.KEY), first.resolve(NodeCredentials.CERT));
        assertEquals(Optional.of("alpha"), alpha.hostId());
        NodeCredentials.ensure(first, "alpha"); // again: nothing changes
        assertEquals(alpha.certificate(), Credentials.readCertificate(first.resolve(NodeCredentials.CERT)));

        Path second = root.resolve("beta");
        NodeCredentials.issueHost(first, "beta", second);
        assertFalse(Files.exists(second.resolve(NodeCredentials.CA_KEY)), "the CA's key stays where it is");
        NodeCredentials.ensure(second, "beta");
        X509Certificate ca = Credentials.readCertificate(first.resolve(NodeCredentials.CA));
        Credentials beta = Credentials.read(second.resolve(NodeCredentials.KEY), second.resolve(NodeCredentials.CERT));
        beta.certificate().verify(ca.getPublicKey()); // signed by the node CA
        IllegalStateException claimed = assertThrows(IllegalStateException.class, () -> NodeCredentials.ensure(second, "alpha"));
        assertTrue(claimed.getMessage().contains("host beta's, not alpha's"), claimed.getMessage());

        Path lonely = root.resolve("gamma");
        Files.createDirectories(lonely);
        Files.copy(first.resolve(NodeCredentials.CA), lonely.resolve(NodeCredentials.CA));
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> NodeCredentials.ensure(lonely, "gamma"));
        assertTrue(none.getMessage().contains("netkeeper certs host gamma"), "names the command: " + none.getMessage());
    }

    @Test
    void mutualTlsHoldsBetweenMembersOfOneCaOnly() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test node CA");
        CertificateAuthority other = CertificateAuthority.create("another CA");
        Credentials a = ca.issue("a", java.util.List.of("host-a"));
        Credentials b = ca.issue("b", java.util.List.of("host-b"));
        Credentials stranger = other.issue("x", java.util.List.of("host-x"));
        handshake(MutualTls.context(a, ca.certificate()), MutualTls.context(b, ca.certificate()));
        assertThrows(SSLException.class, () -> handshake(MutualTls.context(stranger, other.certificate()),
                MutualTls.context(b, ca.certificate())), "a client of another CA is refused");
        assertThrows(SSLException.class, () -> handshake(MutualTls.context(a, ca.certificate()),
                MutualTls.context(stranger, other.certificate())), "a server of another CA is refused");
    }

    /** A full TLS 1.3 handshake between two in-memory engines (client needs the server to ask for its certificate). */
    private static void handshake(SSLContext client, SSLContext server) throws Exception {
        SSLEngine c = client.createSSLEngine("127.0.0.1", 1);
        c.setUseClientMode(true);
        SSLEngine s = server.createSSLEngine();
        s.setUseClientMode(false);
        s.setNeedClientAuth(true);
        ByteBuffer cToS = ByteBuffer.allocate(1 << 16);
        ByteBuffer sToC = ByteBuffer.allocate(1 << 16);
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer sink = ByteBuffer.allocate(1 << 16);
        c.beginHandshake();
        s.beginHandshake();
        for (int i = 0; i < 200 && !(done(c) && done(s)); i++) {
            c.wrap(empty, cToS);
            cToS.flip();
            s.unwrap(cToS, sink);
            cToS.compact();
            run(s);
            s.wrap(empty, sToC);
            sToC.flip();
            c.unwrap(sToC, sink);
            sToC.compact();
            run(c);
        }
        if (!(done(c) && done(s))) {
            throw new SSLException("no handshake");
        }
    }

    private static boolean done(SSLEngine e) {
        SSLEngineResult.HandshakeStatus h = e.getHandshakeStatus();
        return h == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || h == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private static void run(SSLEngine e) {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
