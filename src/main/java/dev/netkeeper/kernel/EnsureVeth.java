package dev.netkeeper.kernel;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.MacAddress;
import dev.netkeeper.netlink.VethPair;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A veth pair for one endpoint: {@code hostName} on the bridge and up, marked {@code hostMark}, its peer
 * made with the endpoint's MAC, marked {@code peerMark}: in the host as {@code peerName}, or, with
 * {@code bornIn}, born in that namespace under its final name (one RTM_NEWLINK, no move: a move waits for RCU grace
 * periods). When the host end exists the pair is kept as it is, wherever its peer has gone (a namespace may hold
 * it by now); a link of that name that is not this endpoint's is refused (NAME_IN_USE) and left as it is.
 */
public record EnsureVeth(String hostName, String peerName, String peerMac, String bridge, int mtu,
                         LinkMark hostMark, LinkMark peerMark, Birthplace bornIn) implements KernelTask {

    /** The namespace at {@code path} (of another owner: {@code identity}, else netkeeper's), the peer as {@code name}. */
    public record Birthplace(String path, String name, String identity) {}

    /** The container end made in the host. */
    public EnsureVeth(String hostName, String peerName, String peerMac, String bridge, int mtu, LinkMark hostMark,
                      LinkMark peerMark) {
        this(hostName, peerName, peerMac, bridge, mtu, hostMark, peerMark, null);
    }

    /** The same pair, its container end born in {@code birthplace}. */
    public EnsureVeth bornIn(Birthplace birthplace) {
        return new EnsureVeth(hostName, peerName, peerMac, bridge, mtu, hostMark, peerMark, birthplace);
    }

    @Override
    public void run(KernelContext kernel) {
        ensure(kernel);
    }

    /** As {@link #run}; true when the pair was made just now (nothing of it existed), false when it was there. */
    boolean ensure(KernelContext kernel) {
        Handle host = kernel.host();
        Optional<Link> existing = host.links().get(hostName);
        if (existing.isEmpty()) {
            ownBridge(host); // never a port of a bridge someone else put under our bridge's name
            if (bornIn == null) {
                host.links().addVeth(new VethPair(hostName, peerName, mtu, Optional.empty(), Optional.of(bridge),
                        Optional.of(MacAddress.parse(peerMac)), true, Optional.of(hostMark.mac())));
                mark(host);
            } else {
                makeInNamespace(kernel);
            }
            return true;
        }
        if (!existing.get().kind().equals("veth") || !hostMark.owns(existing.get(), hostMark.mac())) {
            throw new NameInUseException(existing.get(), hostMark.text());
        }
        if (!hostMark.on(existing.get())) {
            mark(host); // made, then cut before it was marked: its peer is still in the host, or born in its namespace
            if (bornIn != null) {
                markBorn(kernel);
            }
        }
        int bridgeIndex = ownBridge(host).index();
        if (existing.get().masterIndex() != bridgeIndex) {
            host.links().setMaster(hostName, bridge);
        }
        if (!existing.get().isUp()) {
            host.links().setUp(hostName);
        }
        return false;
    }

    /** The pair with its peer born in the namespace as its final name; that name held there by another link: refused. */
    private void makeInNamespace(KernelContext kernel) {
        Handle ns = kernel.container(bornIn.path(), bornIn.identity());
        Optional<Link> taken = ns.links().get(bornIn.name());
        if (taken.isPresent()) {
            throw new NetkeeperException(ErrorCode.DUPLICATE_DST_NAME, "namespace " + bornIn.path() + " has a link "
                    + bornIn.name() + " that is not this interface (MAC " + taken.get().mac().map(MacAddress::toString)
                    .orElse("none") + ", not " + peerMac + "); it is left as it is");
        }
        kernel.host().links().addVeth(new VethPair(hostName, bornIn.name(), mtu,
                Optional.of(kernel.namespace(Path.of(bornIn.path()))), Optional.of(bridge),
                Optional.of(MacAddress.parse(peerMac)), true, Optional.of(hostMark.mac())));
        kernel.host().links().setAlias(hostName, hostMark.text());
        ns.links().setAlias(bornIn.name(), peerMark.text());
    }

    private void markBorn(KernelContext kernel) {
        Handle ns = kernel.container(bornIn.path(), bornIn.identity());
        Optional<Link> peer = ns.links().get(bornIn.name());
        if (peer.isPresent() && peer.get().mac().equals(Optional.of(MacAddress.parse(peerMac)))) {
            ns.links().setAlias(bornIn.name(), peerMark.text());
        }
    }

    private Link ownBridge(Handle host) {
        Link br = host.links().require(bridge, describe());
        if (!LinkMark.isOurs(br)) {
            throw new NameInUseException(br, "netkeeper's bridge " + bridge);
        }
        return br;
    }

    private void mark(Handle host) {
        host.links().setAlias(hostName, hostMark.text());
        Optional<Link> peer = host.links().get(peerName);
        if (peer.isPresent() && peer.get().mac().equals(Optional.of(MacAddress.parse(peerMac)))) {
            host.links().setAlias(peerName, peerMark.text());
        }
    }

    @Override
    public String describe() {
        return "ensure veth " + hostName + " (peer " + (bornIn == null ? peerName
                : bornIn.name() + " born in " + bornIn.path()) + ") on " + bridge;
    }
}
