package dev.netkeeper.front;

import dev.netkeeper.api.Agent;
import dev.netkeeper.api.ApiMessage;
import dev.netkeeper.api.Call;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.OpenSession;
import dev.netkeeper.api.ProveSession;
import dev.netkeeper.api.SessionChallenge;
import dev.netkeeper.api.SessionOpened;
import dev.netkeeper.identity.SessionProof;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The only actor a remote client can name ({@code /user/gateway} of the front's ActorSystem). It opens sessions:
 * {@link OpenSession} is answered with a fresh challenge, and a {@link ProveSession} that signs it with credentials
 * of the client CA is answered with a {@link ClientSession} of that principal. A {@link Call} sent here, outside
 * a session, is refused PERMISSION_DENIED; anything else is ignored. Supervised: no message can stop it.
 */
final class FrontGateway {
    static final String NAME = "gateway";
    /** A challenge is answered within this, once. */
    static final Duration CHALLENGE_TTL = Duration.ofSeconds(30);
    /** Challenges waiting at most (the oldest is forgotten first): what a flood of OpenSessions costs. */
    static final int MAX_CHALLENGES = 1024;
    /** Sessions at most; another is refused QUOTA_EXCEEDED until one ends. */
    static final int MAX_SESSIONS = 4096;
    /** Sessions of one principal at most: one client cannot take them all. */
    static final int MAX_SESSIONS_PER_PRINCIPAL = 64;
    /** Challenges waiting for one caller's address at most: one caller cannot push the others' out. */
    static final int MAX_CHALLENGES_PER_CALLER = 8;
    private static final int MAX_DECLARED = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ActorContext<Object> ctx;
    private final Agent agent;
    private final String hostId;
    private final Supplier<X509Certificate> clientCa;
    private final Duration idle;
    /** Challenge nonce → who asked and when it expires (System.nanoTime), in the order given. */
    private final Map<String, Challenge> challenges = new LinkedHashMap<>();
    /** Open sessions by principal. */
    private final Map<String, Integer> sessionsOf = new java.util.HashMap<>();

    private record Challenge(String caller, long expires) {}

    /** A session stopped (idle, or its certificate no longer trusted); never on the wire. */
    private record SessionEnded(String principal) {}

    private FrontGateway(ActorContext<Object> ctx, Agent agent, String hostId, Supplier<X509Certificate> clientCa,
                         Duration idle) {
        this.ctx = ctx;
        this.agent = agent;
        this.hostId = hostId;
        this.clientCa = clientCa;
        this.idle = idle;
    }

    /**
     * @param clientCa the client CA's certificate as it is now (read when a proof comes: a rotated CA counts at once)
     * @param idle     how long a session lives without a call
     */
    static Behavior<Object> create(Agent agent, String hostId, Supplier<X509Certificate> clientCa, Duration idle) {
        // restarted by a failure, the gateway keeps its sessions (its children) running
        return Behaviors.supervise(Behaviors.<Object>setup(ctx -> new FrontGateway(ctx, agent, hostId, clientCa, idle)
                .behavior())).onFailure(SupervisorStrategy.restart().withStopChildren(false));
    }

    private Behavior<Object> behavior() {
        return Behaviors.receive(Object.class)
                .onMessage(OpenSession.class, this::onOpen)
                .onMessage(ProveSession.class, this::onProve)
                .onMessage(Call.class, this::onCallOutsideASession)
                .onMessage(SessionEnded.class, e -> {
                    sessionsOf.computeIfPresent(e.principal(), (p, n) -> n > 1 ? n - 1 : null);
                    return Behaviors.same();
                })
                .onAnyMessage(other -> {
                    ctx.getLog().warn("ignored a {} sent to the gateway", other.getClass().getSimpleName());
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<Object> onOpen(OpenSession open) {
        Optional<ActorRef<SessionChallenge>> replyTo = ClientSession.answerable(ctx, open.replyTo());
        if (replyTo.isPresent()) {
            forgetExpired();
            String caller = replyTo.get().path().address().toString();
            forgetOldest(c -> c.caller().equals(caller), MAX_CHALLENGES_PER_CALLER);
            forgetOldest(c -> true, MAX_CHALLENGES);
            String nonce = SessionProof.nonce();
            challenges.put(nonce, new Challenge(caller, System.nanoTime() + CHALLENGE_TTL.toNanos()));
            replyTo.get().tell(new SessionChallenge(nonce, hostId));
        }
        return Behaviors.same();
    }

    /** Forgets the oldest challenges that {@code match} until fewer than {@code limit} are left. */
    private void forgetOldest(java.util.function.Predicate<Challenge> match, int limit) {
        long n = challenges.values().stream().filter(match).count();
        for (Iterator<Challenge> it = challenges.values().iterator(); it.hasNext() && n >= limit; ) {
            if (match.test(it.next())) {
                it.remove();
                n--;
            }
        }
    }

    private Behavior<Object> onProve(ProveSession prove) {
        Optional<ActorRef<StatusReply<SessionOpened>>> answer = ClientSession.answerable(ctx, prove.replyTo());
        if (answer.isEmpty()) {
            return Behaviors.same();
        }
        ActorRef<StatusReply<SessionOpened>> replyTo = answer.get();
        forgetExpired();
        if (prove.nonce() == null || challenges.remove(prove.nonce()) == null) {
            replyTo.tell(denied("the challenge is unknown, used or expired: ask for another (OpenSession)"));
            return Behaviors.same();
        }
        if (prove.certificate() == null || prove.signature() == null) {
            replyTo.tell(denied("a proof without a certificate or a signature"));
            return Behaviors.same();
        }
        String declared = prove.declared() == null ? "" : prove.declared().strip();
        if (declared.length() > MAX_DECLARED || declared.chars().anyMatch(Character::isISOControl)) {
            replyTo.tell(new NetkeeperException(ErrorCode.INVALID_REQUEST, "a declared principal is at most "
                    + MAX_DECLARED + " characters, none a control character").toReply());
            return Behaviors.same();
        }
        Optional<SessionProof.Proved> proved;
        try {
            proved = SessionProof.verify(new SessionProof.Signed(prove.certificate(), prove.signature()), prove.nonce(),
                    hostId, clientCa.get());
        } catch (RuntimeException noClientCa) {
            ctx.getLog().error("cannot read the client CA to check a proof: {}", noClientCa.toString());
            proved = Optional.empty();
        }
        if (proved.isEmpty()) {
            ctx.getLog().warn("refused a session to {}: its proof does not hold", replyTo.path().address());
            replyTo.tell(denied("the proof does not hold: a certificate of the cluster's client CA, valid now, and"
                    + " its key's signature of this challenge are needed"));
            return Behaviors.same();
        }
        String principal = proved.get().principal();
        if (sessions() >= MAX_SESSIONS || sessionsOf.getOrDefault(principal, 0) >= MAX_SESSIONS_PER_PRINCIPAL) {
            replyTo.tell(new NetkeeperException(ErrorCode.QUOTA_EXCEEDED, "the door has " + sessions() + " sessions open, "
                    + sessionsOf.getOrDefault(principal, 0) + " of them " + principal + "'s (at most " + MAX_SESSIONS + ", "
                    + MAX_SESSIONS_PER_PRINCIPAL + " of one principal): try again when one has ended").toReply());
            return Behaviors.same();
        }
        String origin = "tls:" + principal + (declared.isEmpty() ? "" : " as " + declared);
        ActorRef<Object> session = ctx.spawn(ClientSession.create(agent, origin, proved.get().certificate(), clientCa, idle),
                sessionName());
        ctx.watchWith(session, new SessionEnded(principal));
        sessionsOf.merge(principal, 1, Integer::sum);
        ctx.getLog().info("opened a session of {} for {}", principal, replyTo.path().address());
        replyTo.tell(StatusReply.success(new SessionOpened(session.narrow(), principal)));
        return Behaviors.same();
    }

    private Behavior<Object> onCallOutsideASession(Call<?> call) {
        ClientSession.<StatusReply<Object>>answerable(ctx, call.replyTo()).ifPresent(replyTo -> replyTo.tell(
                denied("calls are taken only in a session: open one with client credentials (OpenSession)")));
        return Behaviors.same();
    }

    private static <T> StatusReply<T> denied(String why) {
        return new NetkeeperException(ErrorCode.PERMISSION_DENIED, why).toReply();
    }

    private void forgetExpired() {
        long now = System.nanoTime();
        challenges.values().removeIf(c -> c.expires() - now < 0);
    }

    private int sessions() {
        return ctx.getChildren().size();
    }

    /** 128 random bits: a session's path is its key, so it must not be guessed. */
    private static String sessionName() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "session-" + HexFormat.of().formatHex(bytes);
    }
}
