package dev.netkeeper.api;

/**
 * What a {@link Request} is answered with, inside a {@code StatusReply} (a refusal is its error text,
 * see {@link NetkeeperException#toWire}); requests that only acknowledge answer Pekko's {@code Done}.
 */
public sealed interface Reply extends ApiMessage
        permits NetworkInfo, NamespaceInfo, Interfaces, AddedInterface, Names, Hosts, AgentInfo, Location, AuditPage,
        StateAt, PoolLease, PoolAddress {}
