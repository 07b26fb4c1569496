package dev.netkeeper.cli;

import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.AuditPage;
import dev.netkeeper.api.AuditQuery;
import dev.netkeeper.api.AuditRecord;
import dev.netkeeper.api.StateAt;
import dev.netkeeper.client.NetkeeperClient;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code netkeeper audit}: the journaled changes (who, when, what), optionally of one network or
 * namespace and within a time window; {@code --follow} keeps polling for new ones until interrupted;
 * {@code --state-at TIME} shows the networks and namespaces as they were then.
 *
 * <p>With {@code --json} the records print as one JSON array, or with {@code --follow} as one compact
 * JSON record per line.
 */
final class AuditCommands implements Command {
    static final String USAGE = "netkeeper audit [--network NAME] [--namespace PATH] [--since TIME] [--until TIME]"
            + " [--follow] | audit --state-at TIME [--network NAME]";
    static final long POLL_MILLIS = 500;
    private static final String[] HEADER = {"OFFSET", "TIME", "TYPE", "ENTITY", "EVENT", "ORIGIN", "CHANGE"};

    @Override
    public int run(Invocation inv) {
        Args a = inv.args().allow("audit", "--network", "--namespace", "--since", "--until", "--follow", "--state-at");
        a.operands("audit", 1);
        long now = System.currentTimeMillis();
        if (a.value("--state-at").isPresent()) {
            for (String other : List.of("--namespace", "--since", "--until", "--follow")) {
                if (a.flag(other)) {
                    throw new UsageException("audit --state-at: option " + other + " does not apply");
                }
            }
            return stateAt(inv, TimeSpec.parse("--state-at", a.value("--state-at").get(), now),
                    a.value("--network").orElse(null));
        }
        Long since = a.value("--since").map(t -> TimeSpec.parse("--since", t, now)).orElse(null);
        Long until = a.value("--until").map(t -> TimeSpec.parse("--until", t, now)).orElse(null);
        if (since != null && until != null && since > until) {
            throw new UsageException("--since is after --until");
        }
        AuditQuery query = new AuditQuery(a.value("--network").orElse(null), a.value("--namespace").orElse(null),
                since, until, 0L, 0);
        return a.flag("--follow") ? follow(inv, query) : list(inv, query);
    }

    /** Every matching record (page after page, until a page is empty). */
    private int list(Invocation inv, AuditQuery query) {
        NetkeeperClient client = inv.client();
        List<AuditRecord> all = new ArrayList<>();
        AuditQuery q = query;
        while (true) {
            AuditPage page = client.audit(q);
            if (page.records().isEmpty()) {
                break;
            }
            all.addAll(page.records());
            q = q.withAfterOffset(page.lastOffset());
        }
        inv.output().show(all, out -> table(all).print(out));
        return 0;
    }

    /** The history, then new records as they come, polling every {@link #POLL_MILLIS} ms until interrupted. */
    private int follow(Invocation inv, AuditQuery query) {
        NetkeeperClient client = inv.client();
        Output output = inv.output();
        PrintStream out = output.stream();
        int[] widths = null;
        AuditQuery q = query;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                AuditPage page = client.audit(q);
                q = q.withAfterOffset(page.lastOffset());
                if (output.json()) {
                    page.records().forEach(output::jsonLine);
                } else if (widths == null) {
                    Table t = table(page.records());
                    t.print(out);
                    widths = t.widths();
                } else if (!page.records().isEmpty()) {
                    widths = table(page.records()).printMore(out, widths);
                }
                out.flush();
                if (page.records().isEmpty()) {
                    Thread.sleep(POLL_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            // the way to stop following
        } catch (NetkeeperException e) {
            if (!Thread.currentThread().isInterrupted()) {
                throw e;
            }
        }
        Thread.interrupted(); // so that closing the client may wait for it
        return 0;
    }

    private int stateAt(Invocation inv, long atMillis, String network) {
        StateAt state = inv.client().stateAt(atMillis, network);
        inv.output().show(state, out -> {
            out.println("networks at " + Instant.ofEpochMilli(state.atMillis()) + ":");
            Views.networks(state.networks(), out);
            out.println();
            out.println("namespaces at " + Instant.ofEpochMilli(state.atMillis()) + ":");
            Views.namespaces(state.namespaces(), out);
        });
        return 0;
    }

    static Table table(List<AuditRecord> records) {
        Table t = Table.of(HEADER);
        for (AuditRecord r : records) {
            t.row(r.offset(), Instant.ofEpochMilli(r.atMillis()), r.entityType(), r.entityId(), r.event(), r.origin(),
                    r.change());
        }
        return t;
    }
}
