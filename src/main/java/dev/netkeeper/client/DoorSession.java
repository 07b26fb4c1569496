package dev.netkeeper.client;

import dev.netkeeper.api.ApiMessage;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.OpenSession;
import dev.netkeeper.api.ProveSession;
import dev.netkeeper.api.SessionChallenge;
import dev.netkeeper.api.SessionOpened;
import dev.netkeeper.identity.ClientCredentials;
import dev.netkeeper.identity.Credentials;
import dev.netkeeper.identity.SessionProof;
import dev.netkeeper.identity.VerifiedHosts;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Opens a session at an agent's door: finds its gateway, asks for a challenge, checks that the challenge is for
 * the host whose certificate the TLS session to that address proved, signs it with the client's key, and
 * answers with the session the door opened (where calls go). The credentials are read at each opening, so new
 * ones written in place count for the next session.
 */
final class DoorSession {
    /** The name of the agent's front ActorSystem (dev.netkeeper.front.ApiFront.SYSTEM). */
    private static final String FRONT_SYSTEM = "netkeeper-front";
    /** The path of the door's gateway in the agent's front ActorSystem. */
    private static final String GATEWAY = "/user/gateway";

    private final ActorSystem<Void> system;
    private final String agentAddress;
    private final Path credentials;
    private final Optional<String> declared;
    private final Duration timeout;

    DoorSession(ActorSystem<Void> system, String agentAddress, Path credentials, Optional<String> declared,
                Duration timeout) {
        this.system = system;
        this.agentAddress = agentAddress;
        this.credentials = credentials;
        this.declared = declared;
        this.timeout = timeout;
    }

    CompletionStage<ActorRef<ApiMessage>> open() {
        String path = "pekko://" + FRONT_SYSTEM + "@" + agentAddress + GATEWAY;
        return Adapter.toClassic(system).actorSelection(path).resolveOne(timeout)
                .thenApply(classic -> Adapter.<ApiMessage>toTyped(classic))
                .thenCompose(gateway -> AskPattern.<ApiMessage, SessionChallenge>ask(gateway, OpenSession::new, timeout,
                                system.scheduler())
                        .thenCompose(challenge -> prove(gateway, challenge)))
                .thenApply(SessionOpened::session);
    }

    private CompletionStage<SessionOpened> prove(ActorRef<ApiMessage> gateway, SessionChallenge challenge) {
        String proved = provedHost();
        if (!proved.equals(challenge.hostId())) {
            throw new NetkeeperException(ErrorCode.PERMISSION_DENIED, "the agent at " + agentAddress + " proved host "
                    + proved + " but its challenge names host " + challenge.hostId() + ": not signed");
        }
        SessionProof.Signed signed = SessionProof.sign(Credentials.read(credentials.resolve(ClientCredentials.KEY),
                credentials.resolve(ClientCredentials.CERT)), challenge.nonce(), challenge.hostId());
        return AskPattern.<ApiMessage, StatusReply<SessionOpened>>ask(gateway, r -> new ProveSession(challenge.nonce(),
                        signed.certificate(), signed.signature(), declared.orElse(null), r), timeout, system.scheduler())
                .thenApply(reply -> {
                    if (reply.isError()) {
                        throw NetkeeperException.of(reply.getError());
                    }
                    return reply.getValue();
                });
    }

    /** The host id the agent's certificate named when this client dialed its address. */
    private String provedHost() {
        int colon = agentAddress.lastIndexOf(':');
        return VerifiedHosts.of(Adapter.toClassic(system)).hostAt(agentAddress.substring(0, colon),
                        Integer.parseInt(agentAddress.substring(colon + 1)))
                .orElseThrow(() -> new NetkeeperException(ErrorCode.PERMISSION_DENIED, "no TLS session to the agent at "
                        + agentAddress + " proved its host"));
    }
}
