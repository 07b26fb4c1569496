package dev.netkeeper.network;

import dev.netkeeper.kernel.NetlinkActor;
import dev.netkeeper.network.driver.Drivers;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;

import java.time.Duration;

/** What a network entity talks to, handed in by the wiring. */
public record NetworkServices(ActorRef<NetlinkActor.Command> netlink,
                              RecipientRef<NetworkDirectory.Command> directory,
                              ActorRef<EndpointDirectory.Command> endpoints,
                              PlacementListener placements,
                              Drivers drivers,
                              Duration askTimeout,
                              int snapshotEvery) {}
