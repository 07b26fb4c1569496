package dev.netkeeper.namespace;

import dev.netkeeper.kernel.KernelRouter;
import dev.netkeeper.network.EndpointDirectory;
import dev.netkeeper.network.NetworkCommand;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a namespace entity talks to, handed in by the wiring. {@code networks} maps a name to its entity;
 * {@code hostNamespace} is the agent's host namespace (empty: the agent's own), never usable as a container's.
 */
public record NamespaceServices(ActorRef<KernelRouter.Command> kernels,
                                ActorRef<EndpointDirectory.Command> endpoints,
                                Function<String, RecipientRef<NetworkCommand>> networks,
                                PathPolicy pathPolicy,
                                Duration askTimeout,
                                int snapshotEvery,
                                Optional<Path> hostNamespace) {}
