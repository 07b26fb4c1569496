package dev.netkeeper.dns;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * The resolvers' meters, in Micrometer's global registry (the agent's {@code /metrics} joins it):
 * {@code netkeeper_dns_queries_total} by transport, {@code netkeeper_dns_answers_total} by kind (a, aaaa, ptr,
 * nodata, nxdomain, forwarded, refused, servfail, formerr, notimp), and {@code netkeeper_dns_query_seconds} by where
 * the answer came from (local or upstream).
 */
final class DnsMetrics {
    void query(String transport) {
        Counter.builder("netkeeper.dns.queries").description("DNS queries the resolvers received, by transport")
                .tag("transport", transport).register(Metrics.globalRegistry).increment();
    }

    void answered(String kind, boolean local, long nanos) {
        Counter.builder("netkeeper.dns.answers").description("DNS answers by kind").tag("kind", kind)
                .register(Metrics.globalRegistry).increment();
        Timer.builder("netkeeper.dns.query").description("from a query to its answer, by where the answer came from")
                .tag("source", local ? "local" : "upstream").publishPercentileHistogram()
                .register(Metrics.globalRegistry).record(nanos, TimeUnit.NANOSECONDS);
    }
}
