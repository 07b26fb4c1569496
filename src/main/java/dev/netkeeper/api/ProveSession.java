package dev.netkeeper.api;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The client's answer to a {@link SessionChallenge}: its certificate (base64 DER, issued by the cluster's client
 * CA) and its signature (base64) of the challenge. Answered with the session, or PERMISSION_DENIED.
 *
 * @param declared who the caller says it is on top (recorded after what it proved), or null
 */
public record ProveSession(String nonce, String certificate, String signature, @Nullable String declared,
                           ActorRef<StatusReply<SessionOpened>> replyTo) implements ApiMessage {}
