package dev.netkeeper.network;

import dev.netkeeper.kernel.KernelRouter;
import dev.netkeeper.network.driver.Drivers;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;

import java.time.Duration;

/**
 * What a network entity talks to, handed in by the wiring. {@code hostId} is the host of the agent the
 * entity runs on; {@code kernels} reaches the netlink actor of any host.
 */
public record NetworkServices(String hostId,
                              ActorRef<KernelRouter.Command> kernels,
                              RecipientRef<NetworkDirectory.Command> directory,
                              ActorRef<EndpointDirectory.Command> endpoints,
                              PlacementListener placements,
                              Drivers drivers,
                              Duration askTimeout,
                              int snapshotEvery,
                              Quotas quotas) {}
