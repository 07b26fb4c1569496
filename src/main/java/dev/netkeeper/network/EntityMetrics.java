package dev.netkeeper.network;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the entities tell the agent's metrics (Micrometer's global registry, which the agent's Prometheus registry
 * joins): how many are alive by type ({@code netkeeper_entities}), how long their journal writes take
 * ({@code netkeeper_journal_write_seconds}, from the persist to the event being stored), and each network's
 * endpoint count ({@code netkeeper_network_endpoints}).
 */
public final class EntityMetrics {
    private static final AtomicInteger NETWORKS = gauge("network");
    private static final AtomicInteger NAMESPACES = gauge("namespace");

    private EntityMetrics() {}

    private static AtomicInteger gauge(String type) {
        AtomicInteger alive = new AtomicInteger();
        Gauge.builder("netkeeper.entities", alive, AtomicInteger::get).description("entities alive in this agent")
                .tag("type", type).register(Metrics.globalRegistry);
        return alive;
    }

    /** An entity of {@code type} ("network", "namespace") started (+1) or stopped (-1). */
    public static void alive(String type, int delta) {
        (type.equals("network") ? NETWORKS : NAMESPACES).addAndGet(delta);
    }

    /** A journal write of an event of {@code event} took from {@code startedNanos} until now. */
    public static void journalWrite(String event, long startedNanos) {
        Timer.builder("netkeeper.journal.write").tag("event", event).register(Metrics.globalRegistry)
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** How many links one journal write of a network carried (those that arrived while the one before was written). */
    static void linksPerWrite(int links) {
        io.micrometer.core.instrument.DistributionSummary.builder("netkeeper.network.links-per-write")
                .register(Metrics.globalRegistry).record(links);
    }

    /** The endpoint count of network {@code name}, read from {@code count} while the entity lives. */
    static Gauge endpoints(String name, AtomicInteger count) {
        return Gauge.builder("netkeeper.network.endpoints", count, AtomicInteger::get).tag("network", name)
                .register(Metrics.globalRegistry);
    }

    static void remove(Gauge gauge) {
        Metrics.globalRegistry.remove(gauge);
    }
}
