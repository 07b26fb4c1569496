package dev.netkeeper.cli;

import dev.netkeeper.api.Interface;
import dev.netkeeper.api.LinkOptions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code netkeeper link NETWORK ENDPOINT [--host HOST] [--ns PATH [--dst NAME]]} (interfaces made on HOST, default
 * the agent's host; with a namespace of that host, born in it as NAME, one step) and
 * {@code netkeeper unlink NETWORK ENDPOINT}.
 */
final class LinkCommands {
    static final String LINK_USAGE = "netkeeper link NETWORK ENDPOINT [--host HOST] [--ns PATH [--dst NAME]]";
    static final String UNLINK_USAGE = "netkeeper unlink NETWORK ENDPOINT";

    private LinkCommands() {}

    /** Links (idempotent: an endpoint linked before answers its interfaces again) and prints the interfaces. */
    static int link(Invocation inv) {
        Args args = inv.args().allow("link", "--host", "--ns", "--dst");
        List<String> ops = args.operands("link", 1, "NETWORK", "ENDPOINT");
        if (args.value("--dst").isPresent() && args.value("--ns").isEmpty()) {
            throw new UsageException("link: --dst names the interface in the namespace of --ns; give both");
        }
        LinkOptions options = new LinkOptions(args.value("--ns").orElse(null), args.value("--dst").orElse(null));
        List<Interface> interfaces = inv.client().network(ops.get(0)).link(ops.get(1), args.value("--host").orElse(null),
                options);
        inv.output().show(interfaces, out -> Views.interfaces(interfaces, out));
        return 0;
    }

    static int unlink(Invocation inv) {
        List<String> ops = inv.args().allow("unlink").operands("unlink", 1, "NETWORK", "ENDPOINT");
        inv.client().network(ops.get(0)).unlink(ops.get(1));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("network", ops.get(0));
        result.put("endpoint", ops.get(1));
        result.put("unlinked", true);
        inv.output().show(result, out -> out.println(ops.get(1)));
        return 0;
    }
}
