package dev.netkeeper.api;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * A remote client's first message to the door's gateway: asks for a challenge ({@link SessionChallenge}), which
 * it signs to open a session ({@link ProveSession}). Calls are taken only in a session: the gateway cannot tell
 * which TLS connection a message came on, so who a caller is comes from what it signs, not from where it is.
 */
public record OpenSession(ActorRef<SessionChallenge> replyTo) implements ApiMessage {}
