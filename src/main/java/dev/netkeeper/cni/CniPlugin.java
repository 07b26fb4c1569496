package dev.netkeeper.cni;

import dev.netkeeper.api.Agent;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.EndpointInfo;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.api.LinkOptions;
import dev.netkeeper.api.NamespaceId;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.api.Readiness;
import dev.netkeeper.api.Request;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The agent's side of the {@code netkeeper} CNI plugin: each command of the spec (ADD, DEL, CHECK, STATUS, GC,
 * VERSION) carried out with public requests of {@code api/} only. An attachment is the endpoint
 * {@link Attachment#endpointName()} of the network the configuration names (created on first use), born in
 * CNI_NETNS with the one-step link; the namespace is the runtime's (used, never deleted: forgotten once it holds
 * none of netkeeper's interfaces). Every change is journaled with the caller and the container as its origin.
 */
public final class CniPlugin {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CniPlugin.class);
    private static final String DRIVER = "bridge";

    private final Agent agent;
    private final CniSpool spool;
    private volatile boolean closed;
    /** The last piece of work on each container namespace, by path ({@link #oneAtATime}). */
    private final Map<String, CompletableFuture<?>> byNamespace = new java.util.concurrent.ConcurrentHashMap<>();

    public CniPlugin(Agent agent, CniSpool spool) {
        this.agent = agent;
        this.spool = spool;
    }

    /**
     * The plugin of {@code agent} with its spool in {@code spoolDir}; the local API that serves it {@link #start}s it
     * once its socket is bound (a DEL the shim spools before that is in the spool the start replays).
     */
    public static CniPlugin serving(Agent agent, java.nio.file.Path spoolDir) {
        return new CniPlugin(agent, new CniSpool(spoolDir));
    }

    /**
     * Replays the spool once the agent takes commands (retried each second until every entry is carried out);
     * {@link #readiness()} says "ok" from then on.
     */
    public void start() {
        if (closed) {
            return;
        }
        agent.readiness().thenCompose(r -> r.ready() ? spool.replayed(this)
                        : CompletableFuture.failedFuture(new CniError(CniError.TRY_AGAIN_LATER, "agent not ready: " + r.checks())))
                .whenComplete((ok, err) -> {
                    if (err != null) {
                        log.debug("CNI spool not replayed yet: {}", err.toString());
                        CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.SECONDS).execute(this::start);
                    }
                });
    }

    /** Stops replaying (the agent is going away). */
    public void close() {
        closed = true;
    }

    /**
     * The CNI part of the agent's readiness: "ok" once the spool is replayed, else why not. When the rest of the agent
     * is ready ({@code agentReady}) and the spool is not replayed yet, it is replayed first: readiness never says ok
     * before every DEL spooled while the agent was away is carried out.
     */
    public CompletionStage<String> readiness(boolean agentReady) {
        String now = spool.readiness();
        if (!agentReady || Readiness.OK.equals(now)) {
            return CompletableFuture.completedFuture(now);
        }
        return spool.replayed(this).handle((ok, err) -> spool.readiness());
    }

    /** What the shim writes on stdout ({@code body}, null: nothing) and whether it exits 0. */
    public record Reply(boolean ok, Object body) {}

    /** Carries out {@code call} for the caller {@code origin} ("unix:root"); never completes exceptionally. */
    public CompletionStage<Reply> handle(CniCall call, String origin) {
        String version = replyVersion(call);
        CompletionStage<Object> answer;
        try {
            answer = run(call, origin);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((body, err) -> err == null ? new Reply(true, body)
                : new Reply(false, errorJson(version, CniErrors.of(err))));
    }

    private CompletionStage<Object> run(CniCall call, String origin) {
        String command = CniCall.require(call.command(), "CNI_COMMAND");
        Calls calls = new Calls(origin + " as cni " + command + " " + call.containerId());
        return switch (command) {
            case "VERSION" -> CompletableFuture.completedFuture(CniConfig.versionReply(replyVersion(call)));
            // every DEL spooled before it is carried out first (one that cannot be now stays spooled: an ADD is
            // not held hostage by another network's host being away; the DEL's prevResult guard keeps it off
            // attachments made after it)
            case "ADD" -> spool.replayed(this).handle((x, err) -> null)
                    .thenCompose(x -> oneAtATime(call.netns(), () -> add(call, calls)));
            case "DEL" -> del(call, calls).thenApply(x -> null);
            case "CHECK" -> check(call).thenApply(x -> null);
            case "STATUS" -> status(call).thenApply(x -> null);
            case "GC" -> gc(call, calls).thenApply(x -> null);
            default -> throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND '" + command
                    + "' is none of ADD, DEL, CHECK, STATUS, GC, VERSION");
        };
    }

    // ---- ADD: the network, the namespace, the link, the result ------------------------------------------------

    private CompletionStage<Object> add(CniCall call, Calls calls) {
        CniConfig config = CniConfig.parse(call.config());
        Attachment attachment = call.attachment();
        String netns = CniCall.require(call.netns(), "CNI_NETNS");
        spool.requireSameAs(config.spool());
        LinkOptions options = linkOptions(config, CniArgs.parse(call.args()), netns, attachment.ifname());
        // the network and the namespace are independent: asked for together (a refusal of either fails the ADD, and
        // the runtime's DEL after it forgets a namespace registered for nothing)
        CompletableFuture<NetworkInfo> network = ensureNetwork(config, calls).toCompletableFuture();
        CompletableFuture<NamespaceInfo> namespace = ensureNamespace(netns, calls).toCompletableFuture();
        return network.thenCombine(namespace, (n, ns) -> ns)
                .thenCompose(ns -> link(config.name(), attachment, options, calls)
                        .thenApply(ifs -> result(config, attachment, netns, ns, ifs)));
    }

    /** The network of the configuration's name: made from its fields on first use, else the same one (error 7 if not). */
    private CompletionStage<NetworkInfo> ensureNetwork(CniConfig config, Calls calls) {
        return agent.submit(new Request.GetNetwork(config.name(), null, 1))
                .exceptionallyCompose(err -> CniErrors.netkeeperCode(err) != ErrorCode.NO_SUCH_NETWORK
                        ? CompletableFuture.failedFuture(err)
                        : agent.submit(new Request.CreateNetwork(config.name(), DRIVER, config.networkOptions(), null,
                                        calls.audit("network.create")))
                                .exceptionallyCompose(e -> CniErrors.netkeeperCode(e) == ErrorCode.NETWORK_EXISTS
                                        ? agent.submit(new Request.GetNetwork(config.name(), null, 1))
                                        : CompletableFuture.failedFuture(e)))
                .thenApply(network -> {
                    List<String> differences = config.differences(network);
                    if (!differences.isEmpty()) {
                        throw new CniError(CniError.INVALID_CONFIG, "network " + config.name()
                                + " exists and differs from this configuration: " + String.join("; ", differences));
                    }
                    return network;
                });
    }

    /** The runtime's namespace, registered (by its identity) the first time one of its attachments is added. */
    private CompletionStage<NamespaceInfo> ensureNamespace(String netns, Calls calls) {
        return agent.submit(new Request.UseNamespace(null, netns, calls.audit("namespace.use")))
                .exceptionallyCompose(err -> CniErrors.netkeeperCode(err) == ErrorCode.NAMESPACE_EXISTS
                        ? agent.submit(new Request.GetNamespace(null, netns))
                        : CompletableFuture.failedFuture(err));
    }

    /**
     * The one-step link; an attachment of the same key left in another namespace (its DEL lost: the container ran
     * again under its id) is removed first, once.
     */
    private CompletionStage<Interfaces> link(String network, Attachment attachment, LinkOptions options, Calls calls) {
        Function<String, CompletionStage<Interfaces>> linkOnce = step -> agent.submit(new Request.Link(network,
                attachment.endpointName(), null, calls.audit(step), options));
        return linkOnce.apply("link").exceptionallyCompose(err -> CniErrors.netkeeperCode(err) != ErrorCode.INTERFACE_IN_USE
                ? CompletableFuture.failedFuture(err)
                : remove(network, attachment, null, calls, e -> true).thenCompose(x -> linkOnce.apply("link.again")));
    }

    /** The addresses and MAC asked for: CNI_ARGS IP= and MAC= (Podman 4's --ip, --mac-address), else the capabilities. */
    private static LinkOptions linkOptions(CniConfig config, CniArgs args, String netns, String ifname) {
        List<String> ips = new ArrayList<>();
        if (args.get("IP") != null) {
            ips.addAll(List.of(args.get("IP").split(",")));
        } else {
            ips.addAll(config.ips());
        }
        String v4 = null;
        String v6 = null;
        for (String ip : ips) {
            String address = ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip;
            if (address.contains(":")) {
                v6 = address;
            } else {
                v4 = address;
            }
        }
        String mac = args.get("MAC") != null ? args.get("MAC") : config.mac();
        return new LinkOptions(netns, ifname, config.portMappings()).requesting(v4, v6, mac)
                .withAliases(config.aliases().toArray(String[]::new));
    }

    private static Map<String, Object> result(CniConfig config, Attachment attachment, String netns,
                                              NamespaceInfo namespace, Interfaces linked) {
        Interface iface = linked.interfaces().get(0);
        // the namespace's default route of a family is its first interface's with a gateway of that family
        boolean route4 = namespace.interfaces().stream().noneMatch(i -> i.gateway() != null
                && !i.macAddress().equals(iface.macAddress()));
        boolean route6 = namespace.interfaces().stream().noneMatch(i -> i.gatewayIPv6() != null
                && !i.macAddress().equals(iface.macAddress()));
        return new CniResult(config.cniVersion(), linked.hostInterface(), iface, attachment.ifname(), netns, route4,
                route6, !config.disableDns()).json();
    }

    // ---- DEL and GC: an attachment removed, its namespace forgotten once it holds nothing of netkeeper's ----------

    /** Idempotent: an unknown network, attachment or namespace is nothing left to do. */
    CompletionStage<Void> del(CniCall call, Calls calls) {
        CniConfig config = CniConfig.parse(call.config());
        Attachment attachment = call.attachment();
        return remove(config.name(), attachment, call.netns(), calls, e -> true);
    }

    /**
     * A DEL from the spool: as {@link #del}, except that an attachment whose interface is not the one the DEL's
     * prevResult names (another MAC: made after the DEL was written) is left alone.
     */
    CompletionStage<Void> replay(CniCall call, String origin) {
        CniConfig config = CniConfig.parse(call.config());
        Attachment attachment = call.attachment();
        Optional<String> mac = PrevResult.containerMac(config.prevResult(), attachment.ifname());
        Predicate<EndpointInfo> sameInterface = e -> mac.isEmpty() || e.interfaces().stream()
                .anyMatch(i -> mac.get().equalsIgnoreCase(i.macAddress()));
        return remove(config.name(), attachment, call.netns(), new Calls(origin + " as cni DEL " + call.containerId()),
                sameInterface);
    }

    private CompletionStage<Void> remove(String network, Attachment attachment, String netnsHint, Calls calls,
                                         Predicate<EndpointInfo> mayRemove) {
        return endpoint(network, attachment.endpointName()).thenCompose(found -> {
            if (found.isEmpty()) {
                return oneAtATime(netnsHint, () -> forgetIfEmpty(netnsHint, null, calls));
            }
            EndpointInfo e = found.get();
            if (!mayRemove.test(e)) {
                return CompletableFuture.completedFuture(null);
            }
            String path = e.namespace() != null ? NamespaceId.parse(e.namespace()).path() : netnsHint;
            String mac = e.interfaces().isEmpty() ? null : e.interfaces().get(0).macAddress();
            return oneAtATime(path, () -> agent.submit(new Request.Unlink(network, e.name(), calls.audit("unlink")))
                    .exceptionallyCompose(err -> ignoring(err, ErrorCode.NO_SUCH_ENDPOINT, ErrorCode.NO_SUCH_NETWORK))
                    .thenCompose(x -> forgetIfEmpty(path, mac, calls)));
        });
    }

    /**
     * Forgets the runtime's namespace at {@code path} once none of netkeeper's interfaces is in it but the one just
     * removed ({@code removedMac}: its forgetting may not have reached the namespace yet).
     */
    private CompletionStage<Void> forgetIfEmpty(String path, String removedMac, Calls calls) {
        if (path == null || path.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return agent.submit(new Request.GetNamespace(null, path)).<Void>thenCompose(ns -> {
            boolean empty = ns.interfaces().stream().allMatch(i -> i.macAddress().equals(removedMac));
            if (!ns.foreign() || !empty) {
                return CompletableFuture.completedFuture(null);
            }
            return agent.submit(new Request.DeleteNamespace(null, path, calls.audit("namespace.forget")))
                    .thenApply(d -> null);
        }).exceptionallyCompose(err -> ignoring(err, ErrorCode.NO_SUCH_NAMESPACE, ErrorCode.PATH_NOT_ALLOWED));
    }

    /** GC: every attachment of the network that the runtime does not list as valid is removed. */
    private CompletionStage<Void> gc(CniCall call, Calls calls) {
        CniConfig config = CniConfig.parse(call.config());
        requireVersion(config, "GC");
        Set<Attachment> valid = new HashSet<>(config.validAttachments());
        return endpoints(config.name(), null, new ArrayList<>())
                .thenCompose(all -> {
                    List<CompletableFuture<Void>> removals = new ArrayList<>();
                    for (EndpointInfo e : all) {
                        Attachment.ofEndpoint(e.name()).filter(a -> !valid.contains(a)).ifPresent(a ->
                                removals.add(remove(config.name(), a, null, calls, x -> true).toCompletableFuture()));
                    }
                    return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new));
                })
                .exceptionallyCompose(err -> ignoring(err, ErrorCode.NO_SUCH_NETWORK));
    }

    // ---- CHECK and STATUS --------------------------------------------------------------------------------------

    /** prevResult against the journal (interface, MAC, addresses, ports), then the journal against the kernel. */
    private CompletionStage<Void> check(CniCall call) {
        CniConfig config = CniConfig.parse(call.config());
        Attachment attachment = call.attachment();
        String netns = CniCall.require(call.netns(), "CNI_NETNS");
        if (config.prevResult() == null || config.prevResult().isNull()) {
            throw new CniError(CniError.INVALID_CONFIG, "CHECK needs the prevResult of the ADD");
        }
        return endpoint(config.name(), attachment.endpointName()).thenCompose(found -> {
            EndpointInfo e = found.orElseThrow(() -> new CniError(CniError.UNKNOWN_CONTAINER, "network "
                    + config.name() + " has no attachment of container " + attachment.containerId() + " as "
                    + attachment.ifname()));
            List<String> differences = PrevResult.differences(config.prevResult(), e, attachment.ifname(), netns);
            differences.addAll(portDifferences(config.portMappings(), e.published()));
            if (!differences.isEmpty()) {
                throw new CniError(CniErrors.code(ErrorCode.KERNEL_DIFFERS), "attachment " + attachment.ifname()
                        + " of container " + attachment.containerId() + " differs: " + String.join("; ", differences),
                        ErrorCode.KERNEL_DIFFERS.name());
            }
            return agent.submit(new Request.CheckNamespace(null, netns, attachment.ifname())).thenApply(d -> null);
        });
    }

    private static List<String> portDifferences(List<PortMapping> asked, List<PortMapping> published) {
        List<String> d = new ArrayList<>();
        for (PortMapping m : asked) {
            boolean there = published.stream().anyMatch(p -> p.protocol().equals(m.protocol())
                    && p.containerPort() == m.containerPort() && (m.hostPort() == 0 || p.hostPort() == m.hostPort()));
            if (!there) {
                d.add("port " + m + " is not published");
            }
        }
        if (published.size() > asked.size()) {
            d.add(published.size() + " ports are published, " + asked.size() + " asked for");
        }
        return d;
    }

    /** 0 when the agent takes commands (and the spool is replayed), else 50 naming what is not ready. */
    private CompletionStage<Void> status(CniCall call) {
        CniConfig config = CniConfig.parse(call.config());
        requireVersion(config, "STATUS");
        return agent.readiness().thenCompose((Readiness r) -> readiness(r.ready()).thenApply(spoolState -> {
            Map<String, String> checks = new LinkedHashMap<>(r.checks());
            checks.put("cni-spool", spoolState);
            List<String> failing = checks.entrySet().stream().filter(c -> !Readiness.OK.equals(c.getValue()))
                    .map(c -> c.getKey() + ": " + c.getValue()).toList();
            if (!failing.isEmpty()) {
                throw new CniError(CniError.NOT_AVAILABLE, "the netkeeper agent is not ready: " + String.join("; ", failing));
            }
            return null;
        }));
    }

    private static void requireVersion(CniConfig config, String command) {
        if (config.cniVersion().compareTo("1.1.0") < 0) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, command + " is a CNI 1.1.0 command; the configuration's "
                    + "cniVersion is " + config.cniVersion());
        }
    }

    /**
     * {@code work} after every earlier piece of work on the namespace at {@code path} has ended: this host's ADDs and
     * removals of one container's namespace run one after another, so that "forget it once it holds nothing" is
     * never decided while another attachment of it comes or goes (the runtime may run them at once: GC, several
     * networks of one container).
     */
    private <T> CompletionStage<T> oneAtATime(String path, java.util.function.Supplier<CompletionStage<T>> work) {
        if (path == null || path.isEmpty()) {
            return work.get();
        }
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<Void> ended = mine.handle((v, e) -> null);
        CompletableFuture<?> before = byNamespace.put(path, ended);
        (before == null ? CompletableFuture.completedFuture(null) : before).whenComplete((x, e) -> {
            CompletionStage<T> w;
            try {
                w = work.get();
            } catch (RuntimeException ex) {
                w = CompletableFuture.failedFuture(ex);
            }
            w.whenComplete((v, err) -> {
                if (err == null) {
                    mine.complete(v);
                } else {
                    mine.completeExceptionally(err);
                }
            });
        });
        ended.whenComplete((x, e) -> byNamespace.remove(path, ended));
        return mine;
    }

    // ---- reading endpoints ---------------------------------------------------------------------------------------

    private CompletionStage<Optional<EndpointInfo>> endpoint(String network, String name) {
        return dev.netkeeper.api.EndpointLookup.find(agent, network, name);
    }

    private CompletionStage<List<EndpointInfo>> endpoints(String network, String after, List<EndpointInfo> into) {
        return agent.submit(new Request.GetNetwork(network, after, Request.MAX_PAGE)).thenCompose(page -> {
            into.addAll(page.endpoints());
            return page.endpointsNext() == null ? CompletableFuture.completedFuture(into)
                    : endpoints(network, page.endpointsNext(), into);
        });
    }

    private static <T> CompletionStage<T> ignoring(Throwable err, ErrorCode... nothingToDo) {
        ErrorCode code = CniErrors.netkeeperCode(err);
        for (ErrorCode c : nothingToDo) {
            if (c == code) {
                return CompletableFuture.completedFuture(null);
            }
        }
        return CompletableFuture.failedFuture(err);
    }

    // ---- replies -----------------------------------------------------------------------------------------------

    /** The version an answer is written in: the configuration's when this plugin speaks it, else the newest. */
    private static String replyVersion(CniCall call) {
        try {
            String v = CniConfig.versionOf(call.config());
            return v != null && CniConfig.SUPPORTED_VERSIONS.contains(v) ? v
                    : CniConfig.SUPPORTED_VERSIONS.get(CniConfig.SUPPORTED_VERSIONS.size() - 1);
        } catch (CniError e) {
            return CniConfig.SUPPORTED_VERSIONS.get(CniConfig.SUPPORTED_VERSIONS.size() - 1);
        }
    }

    static Map<String, Object> errorJson(String version, CniError e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cniVersion", version);
        json.put("code", e.code());
        json.put("msg", e.getMessage());
        if (e.details() != null) {
            json.put("details", e.details());
        }
        return json;
    }

    /** The audits of one call's requests: one origin, a request id per step (each entity answers its own). */
    static final class Calls {
        private final String origin;
        private final String id = UUID.randomUUID().toString();

        Calls(String origin) {
            this.origin = origin;
        }

        Audit audit(String step) {
            return Audit.now("cni-" + id + "/" + step, origin);
        }
    }
}
