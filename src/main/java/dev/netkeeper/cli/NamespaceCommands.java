package dev.netkeeper.cli;

import dev.netkeeper.api.NamespaceId;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code netkeeper ns create | ls | inspect | rm | add-interface}. A PATH is on the agent's host;
 * {@code HOST:PATH} names a namespace of another host of the cluster (as {@code ns ls} shows them).
 */
final class NamespaceCommands implements Command {
    static final String USAGE = "netkeeper ns create [HOST:]PATH | use [HOST:]PATH | ls | inspect [HOST:]PATH | check [HOST:]PATH"
            + " | rm [HOST:]PATH"
            + " | add-interface [HOST:]PATH NETWORK ENDPOINT [--dst NAME]";

    @Override
    public int run(Invocation inv) {
        return switch (inv.word(1, USAGE)) {
            case "create" -> create(inv);
            case "use" -> use(inv);
            case "ls", "list" -> list(inv);
            case "inspect" -> inspect(inv);
            case "check" -> check(inv);
            case "rm", "remove" -> remove(inv);
            case "add-interface" -> addInterface(inv);
            default -> throw new UsageException("ns: unknown sub-command '" + inv.word(1, USAGE)
                    + "'; usage: " + USAGE);
        };
    }

    private int create(Invocation inv) {
        String ref = inv.args().allow("ns create").operands("ns create", 2, "PATH").get(0);
        NamespaceId id = NamespaceId.reference(ref);
        NamespaceInfo info = inv.client().newNetworkNamespace(id.host(), id.path()).info();
        inv.output().show(info, out -> out.println(info.path()));
        return 0;
    }

    /** Registers a namespace someone else made; {@code ns rm} then only forgets it. */
    private int use(Invocation inv) {
        String ref = inv.args().allow("ns use").operands("ns use", 2, "PATH").get(0);
        NamespaceId id = NamespaceId.reference(ref);
        NamespaceInfo info = inv.client().useNetworkNamespace(id.host(), id.path()).info();
        inv.output().show(info, out -> out.println(info.path()));
        return 0;
    }

    private int list(Invocation inv) {
        inv.args().allow("ns ls").operands("ns ls", 2);
        List<NamespaceInfo> namespaces = inv.client().namespaces();
        inv.output().show(namespaces, out -> Views.namespaces(namespaces, out));
        return 0;
    }

    private int inspect(Invocation inv) {
        String path = inv.args().allow("ns inspect").operands("ns inspect", 2, "PATH").get(0);
        NamespaceInfo info = namespace(inv.client(), path).info();
        inv.output().show(info, out -> Views.namespace(info, out));
        return 0;
    }

    /** Whether the kernel holds the namespace's interfaces as the journal says; KERNEL_DIFFERS names what differs. */
    private int check(Invocation inv) {
        String path = inv.args().allow("ns check").operands("ns check", 2, "PATH").get(0);
        Namespace ns = namespace(inv.client(), path);
        ns.check();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("host", ns.host());
        result.put("path", ns.path());
        result.put("matches", true);
        inv.output().show(result, out -> out.println(ns.path() + ": the kernel matches the journal"));
        return 0;
    }

    private int remove(Invocation inv) {
        String path = inv.args().allow("ns rm").operands("ns rm", 2, "PATH").get(0);
        Namespace ns = namespace(inv.client(), path);
        ns.delete();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("host", ns.host());
        result.put("path", ns.path());
        result.put("removed", true);
        inv.output().show(result, out -> out.println(ns.path()));
        return 0;
    }

    /**
     * Links the endpoint (or finds it linked) on the namespace's host and moves its first interface
     * into the namespace.
     */
    private int addInterface(Invocation inv) {
        Args a = inv.args().allow("ns add-interface", "--dst");
        List<String> ops = a.operands("ns add-interface", 2, "PATH", "NETWORK", "ENDPOINT");
        NetkeeperClient client = inv.client();
        String host = NamespaceId.reference(ops.get(0)).host();
        List<Interface> linked = client.network(ops.get(1)).link(ops.get(2), host);
        if (linked.isEmpty()) {
            throw new NetkeeperException(ErrorCode.NO_SUCH_INTERFACE,
                    "endpoint " + ops.get(2) + " of network " + ops.get(1) + " has no interface");
        }
        Interface iface = a.value("--dst").map(linked.get(0)::withDstName).orElse(linked.get(0));
        Interface placed = namespace(client, ops.get(0)).addInterface(iface);
        inv.output().show(placed, out -> Views.interfaces(List.of(placed), out));
        return 0;
    }

    /** "PATH" on the agent's host, or "HOST:PATH". */
    static Namespace namespace(NetkeeperClient client, String ref) {
        NamespaceId id = NamespaceId.reference(ref);
        return id.host() == null ? client.namespace(ref) : client.namespace(id.host(), id.path());
    }
}
