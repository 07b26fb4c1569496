package dev.netkeeper.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Everything that may cross the client door: opening a session ({@link OpenSession} ... {@link SessionOpened}), a
 * {@link Call} and the replies. Bound (in this jar's
 * reference.conf) to a Jackson CBOR serializer of its own that writes no class name anywhere: the
 * manifest is empty and each message carries only its stable type name from the list below, so a
 * caller can neither name an internal class nor a public one that is not on this list. A new reply
 * type goes in {@link Reply}'s permits and here, with a round-trip sample (ApiProtocolTest checks both).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Call.class, name = "call"),
        @JsonSubTypes.Type(value = OpenSession.class, name = "session.open"),
        @JsonSubTypes.Type(value = SessionChallenge.class, name = "session.challenge"),
        @JsonSubTypes.Type(value = ProveSession.class, name = "session.prove"),
        @JsonSubTypes.Type(value = SessionOpened.class, name = "session.opened"),
        @JsonSubTypes.Type(value = NetworkInfo.class, name = "network"),
        @JsonSubTypes.Type(value = NamespaceInfo.class, name = "namespace"),
        @JsonSubTypes.Type(value = Interfaces.class, name = "interfaces"),
        @JsonSubTypes.Type(value = AddedInterface.class, name = "added-interface"),
        @JsonSubTypes.Type(value = Names.class, name = "names"),
        @JsonSubTypes.Type(value = Hosts.class, name = "hosts"),
        @JsonSubTypes.Type(value = AgentInfo.class, name = "agent"),
        @JsonSubTypes.Type(value = Location.class, name = "location"),
        @JsonSubTypes.Type(value = AuditPage.class, name = "audit-page"),
        @JsonSubTypes.Type(value = StateAt.class, name = "state-at"),
        @JsonSubTypes.Type(value = PoolLease.class, name = "pool-lease"),
        @JsonSubTypes.Type(value = PoolAddress.class, name = "pool-address"),
})
public sealed interface ApiMessage permits Call, OpenSession, SessionChallenge, ProveSession, SessionOpened, Reply {}
