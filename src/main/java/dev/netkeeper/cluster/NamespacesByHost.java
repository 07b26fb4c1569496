package dev.netkeeper.cluster;

import dev.netkeeper.namespace.NamespaceCommand;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;

/**
 * Namespace entity ids are "host:path"; the shard of a namespace is its host, so that one shard holds
 * exactly one host's namespaces and {@link HostAffineAllocation} can place it on that host's node.
 */
final class NamespacesByHost extends ShardingMessageExtractor<ShardingEnvelope<NamespaceCommand>, NamespaceCommand> {
    @Override
    public String entityId(ShardingEnvelope<NamespaceCommand> envelope) {
        return envelope.entityId();
    }

    @Override
    public String shardId(String entityId) {
        return dev.netkeeper.api.NamespaceId.parse(entityId).host();
    }

    @Override
    public NamespaceCommand unwrapMessage(ShardingEnvelope<NamespaceCommand> envelope) {
        return envelope.message();
    }
}
