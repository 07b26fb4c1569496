package dev.netkeeper.api;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * An open session: where the client sends its {@link Call}s from now on (an actor at a path nobody can guess,
 * told only to the prover), and the principal it proved, which the audit trail records for every change.
 */
public record SessionOpened(ActorRef<ApiMessage> session, String principal) implements ApiMessage {}
