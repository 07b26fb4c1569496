package dev.netkeeper.identity;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
 * A fresh host makes the client CA beside the node CA; a host issued from the CAs carries the client CA's
 * certificate (its door serves the cluster's clients) but no CA key; a client's credentials name it and hold the
 * node CA; and a session proof holds only for the client CA's certificate whose key signed that very challenge.
 */
class ClientCredentialsTest {
    private Path root;

    @BeforeEach
    void dir() throws Exception {
        root = Files.createTempDirectory("nk-client-tls-");
    }

    @AfterEach
    void clean() throws Exception {
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theClientCaComesWithTheNodeCaAndTravelsWithEachHost() {
        Path alpha = root.resolve("alpha");
        NodeCredentials.ensure(alpha, "alpha");
        assertTrue(Files.exists(alpha.resolve(ClientCredentials.CA)));
        assertTrue(Files.exists(alpha.resolve(ClientCredentials.CA_KEY)));
        Path beta = root.resolve("beta");
        NodeCredentials.issueHost(alpha, "beta", beta);
        assertEquals(Credentials.readCertificate(alpha.resolve(ClientCredentials.CA)),
                Credentials.readCertificate(beta.resolve(ClientCredentials.CA)));
        assertFalse(Files.exists(beta.resolve(ClientCredentials.CA_KEY)), "the CA's key stays where it is");

        Path lost = root.resolve("lost");
        NodeCredentials.issueHost(alpha, "gamma", lost);
        assertTrue(lost.resolve(ClientCredentials.CA).toFile().delete());
        IllegalStateException noClientCa = assertThrows(IllegalStateException.class, () -> NodeCredentials.ensure(lost, "gamma"));
        assertTrue(noClientCa.getMessage().contains(ClientCredentials.CA), noClientCa.getMessage());
    }

    @Test
    void aClientsCredentialsNameItAndTrustTheNodeCa() throws Exception {
        Path ca = root.resolve("ca");
        NodeCredentials.ensure(ca, "alpha");
        Path app = root.resolve("app1");
        ClientCredentials.issue(ca, "app1", app);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(app)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(app.resolve(ClientCredentials.KEY))));
        Credentials c = Credentials.read(app.resolve(ClientCredentials.KEY), app.resolve(ClientCredentials.CERT));
        assertEquals(Optional.of("app1"), Credentials.clientNameOf(c.certificate()));
        assertEquals(Optional.empty(), c.hostId(), "a client is no member");
        assertEquals("CN=app1", c.certificate().getSubjectX500Principal().getName());
        c.certificate().verify(Credentials.readCertificate(ca.resolve(ClientCredentials.CA)).getPublicKey());
        assertEquals(Credentials.readCertificate(ca.resolve(NodeCredentials.CA)),
                Credentials.readCertificate(app.resolve(NodeCredentials.CA)));
        assertThrows(IllegalArgumentException.class, () -> ClientCredentials.issue(ca, "../etc", root.resolve("x")));
        assertThrows(IllegalArgumentException.class, () -> ClientCredentials.issue(ca, "a b", root.resolve("x")));
    }

    @Test
    void aSessionProofHoldsForTheClientCasCertificateThatSignedThisChallenge() {
        Path ca = root.resolve("ca");
        NodeCredentials.ensure(ca, "alpha");
        X509Certificate clientCa = Credentials.readCertificate(ca.resolve(ClientCredentials.CA));
        ClientCredentials.issue(ca, "alice", root.resolve("alice"));
        ClientCredentials.issue(ca, "bob", root.resolve("bob"));
        Credentials alice = Credentials.read(root.resolve("alice").resolve(ClientCredentials.KEY),
                root.resolve("alice").resolve(ClientCredentials.CERT));
        Credentials bob = Credentials.read(root.resolve("bob").resolve(ClientCredentials.KEY),
                root.resolve("bob").resolve(ClientCredentials.CERT));
        String nonce = SessionProof.nonce();
        assertEquals(43, nonce.length(), "256 bits, base64url");

        SessionProof.Signed signed = SessionProof.sign(alice, nonce, "alpha");
        assertEquals(Optional.of("CN=alice"), SessionProof.verify(signed, nonce, "alpha", clientCa)
                .map(SessionProof.Proved::principal));
        assertTrue(SessionProof.trusted(alice.certificate(), clientCa));
        assertFalse(SessionProof.trusted(alice.certificate(), Credentials.readCertificate(ca.resolve(NodeCredentials.CA))),
                "not under another CA");
        assertEquals(Optional.empty(), SessionProof.verify(signed, SessionProof.nonce(), "alpha", clientCa), "another nonce");
        assertEquals(Optional.empty(), SessionProof.verify(signed, nonce, "beta", clientCa), "another host");
        SessionProof.Signed mixed = new SessionProof.Signed(signed.certificate(), SessionProof.sign(bob, nonce, "alpha").signature());
        assertEquals(Optional.empty(), SessionProof.verify(mixed, nonce, "alpha", clientCa), "alice's certificate, bob's key");
        assertEquals(Optional.empty(), SessionProof.verify(new SessionProof.Signed("not base64!", signed.signature()),
                nonce, "alpha", clientCa));

        // the node CA's member credentials, and a client CA of another cluster, are no client's
        Credentials member = Credentials.read(ca.resolve(NodeCredentials.KEY), ca.resolve(NodeCredentials.CERT));
        assertEquals(Optional.empty(), SessionProof.verify(SessionProof.sign(member, nonce, "alpha"), nonce, "alpha", clientCa));
        Path other = root.resolve("other");
        NodeCredentials.ensure(other, "alpha");
        ClientCredentials.issue(other, "alice", root.resolve("alice2"));
        Credentials impostor = Credentials.read(root.resolve("alice2").resolve(ClientCredentials.KEY),
                root.resolve("alice2").resolve(ClientCredentials.CERT));
        assertEquals(Optional.empty(), SessionProof.verify(SessionProof.sign(impostor, nonce, "alpha"), nonce, "alpha", clientCa));
    }
}
