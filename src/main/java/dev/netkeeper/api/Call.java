package dev.netkeeper.api;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The one message a remote client sends to the agent's gateway: a request and where to answer. A call
 * without a {@code replyTo} is dropped (and logged), one without a request is answered INVALID_REQUEST.
 */
public record Call<R>(Request<R> request, ActorRef<StatusReply<R>> replyTo) implements ApiMessage {}
