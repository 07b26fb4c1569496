package dev.netkeeper.cli;

import dev.netkeeper.api.Interface;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.api.LinkOptions;
import dev.netkeeper.api.PortMapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code netkeeper link NETWORK ENDPOINT [--host HOST] [--ns PATH [--dst NAME]]} (interfaces made on HOST, default
 * the agent's host; with a namespace of that host, born in it as NAME, one step) and
 * {@code netkeeper unlink NETWORK ENDPOINT}; {@code --publish} and {@code publish} / {@code unpublish} give the
 * host ports that reach it.
 */
final class LinkCommands {
    static final String LINK_USAGE = "netkeeper link NETWORK ENDPOINT [--host HOST] [--ns PATH [--dst NAME]]"
            + " [--publish [IP:]HOSTPORT[-END]:PORT[/PROTO]]... [--ip ADDRESS] [--ip6 ADDRESS] [--mac MAC]";
    static final String PUBLISH_USAGE = "netkeeper publish NETWORK ENDPOINT [IP:]HOSTPORT[-END]:PORT[/PROTO]...";
    static final String UNPUBLISH_USAGE = "netkeeper unpublish NETWORK ENDPOINT [IP:]HOSTPORT[/PROTO]...";
    static final String UNLINK_USAGE = "netkeeper unlink NETWORK ENDPOINT";

    private LinkCommands() {}

    /** Links (idempotent: an endpoint linked before answers its interfaces again) and prints the interfaces. */
    static int link(Invocation inv) {
        Args args = inv.args().allow("link", "--host", "--ns", "--dst", "--publish", "--ip", "--ip6", "--mac",
                "--alias");
        List<String> ops = args.operands("link", 1, "NETWORK", "ENDPOINT");
        if (args.value("--dst").isPresent() && args.value("--ns").isEmpty()) {
            throw new UsageException("link: --dst names the interface in the namespace of --ns; give both");
        }
        LinkOptions options = new LinkOptions(args.value("--ns").orElse(null), args.value("--dst").orElse(null),
                args.all("--publish").stream().map(PortMapping::parse).toList())
                .requesting(args.value("--ip").orElse(null), args.value("--ip6").orElse(null),
                        args.value("--mac").orElse(null))
                .withAliases(args.all("--alias").toArray(String[]::new));
        Interfaces linked = inv.client().network(ops.get(0)).linkEndpoint(ops.get(1), args.value("--host").orElse(null),
                options);
        if (linked.published().isEmpty()) {
            inv.output().show(linked.interfaces(), out -> Views.interfaces(linked.interfaces(), out));
        } else {
            inv.output().show(linked, out -> {
                Views.interfaces(linked.interfaces(), out);
                Views.ports(linked.published(), out);
            });
        }
        return 0;
    }

    /** Publishes host ports to a linked endpoint and prints every port it publishes now. */
    static int publish(Invocation inv) {
        List<String> ops = inv.args().allow("publish").operandsAndMore("publish", 1, "MAPPING", "NETWORK", "ENDPOINT");
        List<PortMapping> now = inv.client().network(ops.get(0)).publish(ops.get(1), ops.subList(2, ops.size()).stream()
                .map(PortMapping::parse).toArray(PortMapping[]::new));
        inv.output().show(now, out -> Views.ports(now, out));
        return 0;
    }

    /** Stops publishing host ports (named by their host side) and prints the ports left. */
    static int unpublish(Invocation inv) {
        List<String> ops = inv.args().allow("unpublish").operandsAndMore("unpublish", 1, "PORT", "NETWORK", "ENDPOINT");
        List<PortMapping> left = inv.client().network(ops.get(0)).unpublish(ops.get(1), ops.subList(2, ops.size()).stream()
                .map(PortMapping::hostSide).toArray(PortMapping[]::new));
        inv.output().show(left, out -> Views.ports(left, out));
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
