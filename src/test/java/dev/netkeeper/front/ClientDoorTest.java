package dev.netkeeper.front;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.netkeeper.api.AgentInfo;
import dev.netkeeper.api.ApiMessage;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.AuditQuery;
import dev.netkeeper.api.AuditRecord;
import dev.netkeeper.api.Call;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.api.Request;
import dev.netkeeper.api.SessionChallenge;
import dev.netkeeper.api.SessionOpened;
import dev.netkeeper.client.ClientSettings;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.identity.ClientCredentials;
import dev.netkeeper.identity.Credentials;
import dev.netkeeper.identity.MemberTls;
import dev.netkeeper.identity.NodeCredentials;
import dev.netkeeper.identity.SessionProof;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may use the client door, and who the audit trail says asked. Without client credentials of the cluster's
 * client CA nothing is reached (plain Artery, another CA's credentials, the agent's own member credentials, another
 * user's process); with them, calls are taken only in a session opened by signing the door's challenge, and every
 * change is recorded as the principal proved ("tls:CN=NAME"), whatever the request claims.
 */
class ClientDoorTest {
    static TestAgent agent;
    static String door;
    static Path alice;
    static Path mallory;

    @BeforeAll
    static void start() {
        agent = TestAgent.start("clientdoor");
        door = agent.apiAddress();
        alice = agent.clientCredentials("alice");
        mallory = agent.clientCredentials("mallory");
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void withoutTheClientCasCredentialsNothingIsReached() throws Exception {
        int events = countEvents();
        Path stranger = Files.createTempDirectory("nk-stranger-");
        try {
            NodeCredentials.ensure(stranger.resolve("ca"), "test-host"); // CAs of its own, even the agent's host id
            ClientCredentials.issue(stranger.resolve("ca"), "alice", stranger.resolve("alice"));
            assertUnreachable(outsider("plain", ConfigFactory.parseMap(Map.of("pekko.remote.artery.transport", "tcp"))));
            assertUnreachable(new DoorCaller("another-ca", stranger.resolve("alice"), door, ConfigFactory.empty()));
            // the agent's own member credentials are no client's
            assertUnreachable(outsider("member", ConfigFactory.parseMap(Map.of("pekko.remote.artery.transport", "tls-tcp",
                    "pekko.remote.artery.ssl.ssl-engine-provider", MemberTls.class.getName(),
                    "netkeeper.tls.dir", agent.dataDir().resolve("tls").toString()))));
        } finally {
            deleteTree(stranger);
        }
        NetkeeperException none = assertThrows(NetkeeperException.class, () -> NetkeeperClient.connect(door,
                ClientSettings.defaults().withCredentials(null)));
        assertEquals(ErrorCode.PERMISSION_DENIED, none.code());
        assertEquals(events, countEvents(), "nothing was journaled");
    }

    /**
     * As uid 65534, on a machine where root holds client credentials: it cannot read them, and without a certificate
     * neither the client door nor the members' port completes a TLS session (curl, the nearest tool of any user).
     */
    @Test
    void anotherUsersProcessCannotUseRootsCredentialsNorConnectWithout() throws Exception {
        int events = countEvents();
        Path data = agent.dataDir();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x")); // only the files' own modes guard
        try {
            List<String> nobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
            IpOracle.Result withRoots = curlAs(nobody, door, "--cert", alice.resolve("client.pem").toString(), "--key",
                    alice.resolve("client.key").toString());
            assertEquals(58, withRoots.exitCode(), "root's client key cannot be read (curl: local certificate): " + withRoots);
            String members = "127.0.0.1:" + agent.node().system().address().getPort().orElseThrow();
            for (String port : List.of(door, members)) {
                IpOracle.Result without = curlAs(nobody, port);
                assertNotEquals(0, without.exitCode(), without.toString());
                assertTrue(without.stderr().contains("Request CERT") && without.stderr().contains("alert bad certificate")
                        && !without.stderr().contains("< HTTP"),
                        "the server asked for a certificate and ended the session without one: " + without);
            }
        } finally {
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        }
        assertEquals(events, countEvents(), "nothing was journaled");
    }

    @Test
    void theAuditTrailRecordsWhatTheClientProvedNotWhatItSays() throws Exception {
        try (NetkeeperClient client = NetkeeperClient.connect(door, ClientSettings.defaults().withCredentials(alice)
                .withPrincipal("bob"))) {
            client.newNetwork("null", "tlsaudit", NetworkOptions.builder().build());
        }
        assertEquals(List.of("tls:CN=alice as bob"), origins("tlsaudit"));

        // by hand: a request that claims to come from root, in alice's session
        try (DoorCaller caller = new DoorCaller("alice", alice, door, ConfigFactory.empty())) {
            ActorRef<ApiMessage> session = caller.session(credentials(alice), null);
            TestProbe<StatusReply<NetworkInfo>> probe = caller.kit.createTestProbe();
            session.tell(new Call<>(new Request.CreateNetwork("tlsclaim", "null", null, null, Audit.now("claim-1", "root")),
                    probe.ref()));
            assertTrue(probe.expectMessageClass(StatusReply.class, Duration.ofSeconds(10)).isSuccess());
        }
        assertEquals(List.of("tls:CN=alice"), origins("tlsclaim"));
        AuditRecord record = agent.client().audit(new AuditQuery("tlsclaim", null, null, null, 0, 10)).records().get(0);
        assertEquals("claim-1", record.requestId(), "the request id is kept: a retry is still answered from the journal");
    }

    @Test
    void aProofThatDoesNotHoldOpensNoSession() {
        try (DoorCaller caller = new DoorCaller("mallory", mallory, door, ConfigFactory.empty())) {
            Credentials aliceKeys = credentials(alice);
            Credentials malloryKeys = credentials(mallory);

            // alice's certificate, signed with mallory's key
            SessionChallenge c1 = caller.challenge();
            SessionProof.Signed forged = new SessionProof.Signed(SessionProof.sign(aliceKeys, "x", "x").certificate(),
                    SessionProof.sign(malloryKeys, c1.nonce(), c1.hostId()).signature());
            assertDenied(caller.prove(c1.nonce(), forged, null), "does not hold");

            // a signature of another host's challenge
            SessionChallenge c2 = caller.challenge();
            assertDenied(caller.prove(c2.nonce(), SessionProof.sign(malloryKeys, c2.nonce(), "other-host"), null),
                    "does not hold");

            // a nonce the door never gave, and one used already
            assertDenied(caller.prove(SessionProof.nonce(), SessionProof.sign(malloryKeys, "n", "test-host"), null),
                    "unknown, used or expired");
            SessionChallenge c3 = caller.challenge();
            SessionProof.Signed good = SessionProof.sign(malloryKeys, c3.nonce(), c3.hostId());
            StatusReply<SessionOpened> opened = caller.prove(c3.nonce(), good, null);
            assertTrue(opened.isSuccess(), String.valueOf(opened));
            assertEquals("CN=mallory", opened.getValue().principal());
            assertDenied(caller.prove(c3.nonce(), good, null), "unknown, used or expired");

            // a session's path is its key: one guessed finds nobody, the real one answers
            TestProbe<StatusReply<AgentInfo>> guessed = caller.kit.createTestProbe();
            caller.built("/user/gateway/session-00000000000000000000000000000000").tell(
                    new Call<>(new Request.Describe(), guessed.ref()), org.apache.pekko.actor.ActorRef.noSender());
            guessed.expectNoMessage(Duration.ofMillis(500));
            TestProbe<StatusReply<AgentInfo>> real = caller.kit.createTestProbe();
            opened.getValue().session().tell(new Call<>(new Request.Describe(), real.ref()));
            assertTrue(real.expectMessageClass(StatusReply.class, Duration.ofSeconds(10)).isSuccess());
        }
    }

    /** A session is only as good as its certificate: the client CA rotated away from it, its next call is refused. */
    @Test
    void aSessionEndsWhenItsCertificateIsNoLongerTrusted() throws Exception {
        Path ca = agent.dataDir().resolve("tls").resolve(ClientCredentials.CA);
        byte[] kept = Files.readAllBytes(ca);
        try (DoorCaller caller = new DoorCaller("rotated", alice, door, ConfigFactory.empty())) {
            ActorRef<ApiMessage> session = caller.session(credentials(alice), null);
            assertTrue(describe(caller, session).isSuccess(), "the session serves");
            Path other = Files.createTempDirectory("nk-other-ca-");
            try {
                NodeCredentials.ensure(other, "test-host"); // a client CA of its own
                Files.write(ca, Files.readAllBytes(other.resolve(ClientCredentials.CA)));
                StatusReply<AgentInfo> refused = describe(caller, session);
                assertTrue(refused.isError(), String.valueOf(refused));
                NetkeeperException e = NetkeeperException.of(refused.getError());
                assertEquals(ErrorCode.PERMISSION_DENIED, e.code(), e.toString());
                assertTrue(e.getMessage().contains("no longer trusted"), e.toString());
            } finally {
                Files.write(ca, kept);
                deleteTree(other);
            }
        }
    }

    private static StatusReply<AgentInfo> describe(DoorCaller caller, ActorRef<ApiMessage> session) {
        TestProbe<StatusReply<AgentInfo>> probe = caller.kit.createTestProbe();
        session.tell(new Call<>(new Request.Describe(), probe.ref()));
        @SuppressWarnings("unchecked")
        StatusReply<AgentInfo> reply = probe.expectMessageClass(StatusReply.class, Duration.ofSeconds(10));
        return reply;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static DoorCaller outsider(String name, Config transport) {
        return new DoorCaller(name, alice, door, transport);
    }

    private static void assertUnreachable(DoorCaller caller) {
        try (caller) {
            var e = assertThrows(java.util.concurrent.CompletionException.class, () -> caller.kit.system().classicSystem()
                    .actorSelection(caller.front("/user/gateway")).resolveOne(Duration.ofSeconds(3)).toCompletableFuture()
                    .join(), "resolved the gateway without the client CA's credentials");
            assertEquals(org.apache.pekko.actor.ActorNotFound.class, e.getCause().getClass(), e.toString());
        }
    }

    private static void assertDenied(StatusReply<SessionOpened> reply, String mentions) {
        assertTrue(reply.isError(), String.valueOf(reply));
        NetkeeperException e = NetkeeperException.of(reply.getError());
        assertEquals(ErrorCode.PERMISSION_DENIED, e.code(), e.toString());
        assertTrue(e.getMessage().contains(mentions), e.toString());
    }

    private static IpOracle.Result curlAs(List<String> user, String hostPort, String... extra) {
        List<String> cmd = new ArrayList<>(user);
        cmd.addAll(List.of("curl", "-s", "-S", "-v", "-k", "--max-time", "5", "https://" + hostPort + "/"));
        cmd.addAll(List.of(extra));
        return IpOracle.run(cmd.toArray(String[]::new));
    }

    private static Credentials credentials(Path dir) {
        return Credentials.read(dir.resolve(ClientCredentials.KEY), dir.resolve(ClientCredentials.CERT));
    }

    private static List<String> origins(String network) {
        return agent.client().audit(new AuditQuery(network, null, null, null, 0, 100)).records().stream()
                .map(AuditRecord::origin).distinct().toList();
    }

    private static int countEvents() {
        return agent.client().audit(new AuditQuery(null, null, null, null, 0, 10_000)).records().size();
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
