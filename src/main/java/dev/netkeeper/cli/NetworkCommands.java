package dev.netkeeper.cli;

import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code netkeeper network create | ls | inspect | rm}. */
final class NetworkCommands implements Command {
    static final String USAGE = "netkeeper network create NAME [--driver bridge] [--subnet CIDR] [--ipv6-subnet CIDR]"
            + " [--gateway IP] [--ip-range CIDR] [--mtu N] [--internal] [--opt KEY=VALUE]... | ls | inspect NAME"
            + " | rm NAME [--force]";

    @Override
    public int run(Invocation inv) {
        return switch (inv.word(1, USAGE)) {
            case "create" -> create(inv);
            case "ls", "list" -> list(inv);
            case "inspect" -> inspect(inv);
            case "rm", "remove" -> remove(inv);
            default -> throw new UsageException("network: unknown sub-command '" + inv.word(1, USAGE)
                    + "'; usage: " + USAGE);
        };
    }

    private int create(Invocation inv) {
        Args a = inv.args().allow("network create", "--driver", "--subnet", "--ipv6-subnet", "--gateway",
                "--ip-range", "--mtu", "--internal", "--opt", "--host-route-overlap", "--disable-dns");
        String name = a.operands("network create", 2, "NAME").get(0);
        NetworkOptions options = options(a);
        String driver = a.value("--driver").orElse("bridge");
        NetworkInfo info = inv.client().newNetwork(driver, name, options).info();
        inv.output().show(info, out -> Views.networks(List.of(info), out));
        return 0;
    }

    static NetworkOptions options(Args a) {
        NetworkOptions.Builder b = NetworkOptions.builder();
        a.value("--subnet").ifPresent(b::subnet);
        a.value("--ipv6-subnet").ifPresent(b::subnetIPv6);
        a.value("--gateway").ifPresent(b::gateway);
        a.value("--ip-range").ifPresent(b::ipRange);
        a.intValue("--mtu").ifPresent(b::mtu);
        b.internal(a.flag("--internal"));
        b.hostRouteOverlap(a.flag("--host-route-overlap"));
        b.disableDns(a.flag("--disable-dns"));
        for (String opt : a.all("--opt")) {
            int eq = opt.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--opt wants KEY=VALUE, not '" + opt + "'");
            }
            b.driverOption(opt.substring(0, eq), opt.substring(eq + 1));
        }
        return b.build();
    }

    private int list(Invocation inv) {
        inv.args().allow("network ls").operands("network ls", 2);
        List<NetworkInfo> networks = inv.client().networks();
        inv.output().show(networks, out -> Views.networks(networks, out));
        return 0;
    }

    private int inspect(Invocation inv) {
        String name = inv.args().allow("network inspect").operands("network inspect", 2, "NAME").get(0);
        NetworkInfo info = inv.client().networkInfo(name);
        inv.output().show(info, out -> Views.network(info, out));
        return 0;
    }

    private int remove(Invocation inv) {
        Args a = inv.args().allow("network rm", "--force");
        String name = a.operands("network rm", 2, "NAME").get(0);
        inv.client().network(name).delete(a.flag("--force"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("network", name);
        result.put("removed", true);
        inv.output().show(result, out -> out.println(name));
        return 0;
    }
}
