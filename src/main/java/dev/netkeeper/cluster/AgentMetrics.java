package dev.netkeeper.cluster;

import dev.netkeeper.api.Request;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.concurrent.TimeUnit;

/**
 * The agent's metrics, in Prometheus' text format ({@code /metrics} of the local API): every public command
 * by request type and outcome with its latency ({@code netkeeper_commands_seconds}), and what the parts record
 * through Micrometer's global registry, which this one joins: kernel tasks ({@code netkeeper_kernel_task_seconds}),
 * converges ({@code netkeeper_converge_seconds}); plus the JVM's memory, GC, threads and CPU.
 */
public final class AgentMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    AgentMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Metrics.addRegistry(registry);
    }

    /** A public command ended: {@code outcome} is "ok" or its error code. */
    void command(Request<?> request, String outcome, long nanos) {
        Timer.builder("netkeeper.commands").description("public commands, by request type and outcome")
                .tag("request", Request.typeName(request)).tag("outcome", outcome)
                .publishPercentileHistogram().register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The journal's health: writes that failed (netkeeper_journal_failed_writes), 1 while it is failing. */
    void journal(dev.netkeeper.journal.JournalHealth health) {
        io.micrometer.core.instrument.FunctionCounter.builder("netkeeper.journal.failed.writes", health,
                dev.netkeeper.journal.JournalHealth::failedWrites).description("journal writes that failed").register(registry);
        io.micrometer.core.instrument.Gauge.builder("netkeeper.journal.failing", health, h -> h.failing().isPresent() ? 1 : 0)
                .description("1 while the journal's last write failed").register(registry);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        Metrics.removeRegistry(registry);
        gc.close();
        registry.close();
    }
}
