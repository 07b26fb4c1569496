package dev.netkeeper.cli;

import dev.netkeeper.api.HostInfo;

import java.util.List;

/** {@code netkeeper hosts}: the hosts of the cluster and whether their agents can be reached. */
final class HostsCommand implements Command {
    static final String USAGE = "netkeeper hosts";

    @Override
    public int run(Invocation inv) {
        inv.args().allow("hosts").operands("hosts", 1);
        List<HostInfo> hosts = inv.client().hosts();
        inv.output().show(hosts, out -> {
            Table t = Table.of("HOST", "STATUS", "AGENT");
            hosts.forEach(h -> t.row(h.host(), h.status(), h.address()));
            t.print(out);
        });
        return 0;
    }
}
