package dev.netkeeper.bench.jmh;

import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.LinkName;
import dev.netkeeper.netlink.LinkOps;
import dev.netkeeper.netlink.MacAddress;
import dev.netkeeper.netlink.nl.IfInfoMsg;
import dev.netkeeper.netlink.nl.IfLink;
import dev.netkeeper.netlink.nl.MessageBuilder;
import dev.netkeeper.netlink.nl.Netlink;
import dev.netkeeper.netlink.nl.NetlinkMessage;
import dev.netkeeper.netlink.nl.Rtnetlink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The rtnetlink codec, no kernel: encoding the endpoint's veth-create request (as LinkOps.addVeth builds it: up,
 * MTU, master, peer with MTU and MAC) and decoding it back with LinkOps.decode; and decoding a 500-link
 * RTM_GETLINK dump, built here with the attributes (and about the size, ~1.4 KB a link) the kernel sends for a
 * veth on a bridge, packed into 32 KB datagrams as NetlinkSocket receives them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NetlinkCodecBench {
    /** LinkOps.decode(NetlinkMessage) is package-private: reached once through reflection, then a constant handle. */
    private static final MethodHandle DECODE;

    static {
        try {
            Method m = LinkOps.class.getDeclaredMethod("decode", NetlinkMessage.class);
            m.setAccessible(true);
            DECODE = MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final MacAddress PEER_MAC = MacAddress.parse("02:42:0a:c8:01:02");

    private byte[] vethRequest;
    private List<byte[]> dump;
    private int seq;

    @Setup
    public void setUp() {
        vethRequest = encodeVeth("veth1a2b3c4", "ceth1a2b3c4", 7, 1);
        dump = syntheticDump(500);
        if (decodeAll().size() != 500) {
            throw new IllegalStateException("synthetic dump does not decode to 500 links");
        }
    }

    /** What LinkOps.addVeth(VethPair) sends for an endpoint (master index known: the lookup is a kernel call). */
    static byte[] encodeVeth(String name, String peer, int masterIndex, int seq) {
        LinkName.check(name);
        LinkName.check(peer);
        MessageBuilder m = new MessageBuilder(Rtnetlink.RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)
                .struct(IfInfoMsg.withUp(0, true))
                .attrString(IfLink.IFLA_IFNAME, name)
                .attrU32(IfLink.IFLA_MTU, 1500)
                .attrU32(IfLink.IFLA_MASTER, masterIndex);
        m.beginNested(IfLink.IFLA_LINKINFO).attrString(IfLink.IFLA_INFO_KIND, "veth")
                .beginNested(IfLink.IFLA_INFO_DATA)
                .beginNested(IfLink.VETH_INFO_PEER).struct(IfInfoMsg.of(0))
                .attrString(IfLink.IFLA_IFNAME, peer)
                .attrU32(IfLink.IFLA_MTU, 1500)
                .attr(IfLink.IFLA_ADDRESS, PEER_MAC.bytes());
        m.endNested().endNested().endNested();
        return m.flags(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK).build(seq);
    }

    @Benchmark
    public byte[] encodeVethCreate() {
        return encodeVeth("veth1a2b3c4", "ceth1a2b3c4", 7, ++seq);
    }

    @Benchmark
    public Link decodeVethCreate() throws Throwable {
        NetlinkMessage m = NetlinkMessage.parseAll(ByteBuffer.wrap(vethRequest).order(ByteOrder.nativeOrder())).get(0);
        return (Link) DECODE.invokeExact(m);
    }

    @Benchmark
    public List<Link> decodeDump500Links() throws Throwable {
        return decodeAll();
    }

    private List<Link> decodeAll() {
        List<Link> links = new ArrayList<>(512);
        try {
            for (byte[] datagram : dump) {
                for (NetlinkMessage m : NetlinkMessage.parseAll(ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder()))) {
                    if (m.type() == Rtnetlink.RTM_NEWLINK) {
                        links.add((Link) DECODE.invokeExact(m));
                    }
                }
            }
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return links;
    }

    /**
     * n RTM_NEWLINK messages like the kernel's for "vethXXXXXXX" (veth, bridge port, up) in the attribute order of
     * rtnl_fill_ifinfo, with blobs of the real sizes for what LinkOps.decode skips (stats, af_spec, slave data).
     */
    static List<byte[]> syntheticDump(int n) {
        List<byte[]> datagrams = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            String name = String.format("veth%07x", i * 7919);
            MessageBuilder m = new MessageBuilder(Rtnetlink.RTM_NEWLINK, Netlink.NLM_F_MULTI)
                    .struct(new IfInfoMsg(Rtnetlink.AF_UNSPEC, 1, 100 + i, 0x11043, 0))
                    .attrString(IfLink.IFLA_IFNAME, name)
                    .attrU32(13, 1000)                       // IFLA_TXQLEN
                    .attr(IfLink.IFLA_OPERSTATE, new byte[] {6})
                    .attr(17, new byte[] {0})                // IFLA_LINKMODE
                    .attrU32(IfLink.IFLA_MTU, 1500)
                    .attrU32(50, 68).attrU32(51, 65535)      // IFLA_MIN_MTU, IFLA_MAX_MTU
                    .attrU32(27, 0).attrU32(30, 0)           // IFLA_GROUP, IFLA_PROMISCUITY
                    .attrU32(31, 2).attrU32(40, 65535).attrU32(41, 65536).attrU32(32, 2)
                    .attr(33, new byte[] {1})                // IFLA_CARRIER
                    .attrString(6, "noqueue")                // IFLA_QDISC
                    .attrU32(35, 2).attrU32(36, 1).attrU32(47, 1)
                    .attr(39, new byte[] {0})                // IFLA_PROTO_DOWN
                    .attr(14, new byte[32])                  // IFLA_MAP
                    .attr(IfLink.IFLA_ADDRESS, new byte[] {2, 0x42, 10, (byte) 200, (byte) (i >> 8), (byte) i})
                    .attr(IfLink.IFLA_BROADCAST, new byte[] {-1, -1, -1, -1, -1, -1})
                    .attr(23, new byte[200])                 // IFLA_STATS64
                    .attr(7, new byte[96]);                  // IFLA_STATS
            m.beginNested(43).attr(1, new byte[] {0}).endNested(); // IFLA_XDP
            m.beginNested(IfLink.IFLA_LINKINFO).attrString(IfLink.IFLA_INFO_KIND, "veth")
                    .attrString(IfLink.IFLA_INFO_SLAVE_KIND, "bridge")
                    .beginNested(5).attr(1, new byte[300]).endNested() // IFLA_INFO_SLAVE_DATA
                    .endNested();
            m.attrU32(IfLink.IFLA_MASTER, 7).attrU32(IfLink.IFLA_LINK, 100 + n + i).attrU32(37, 0);
            m.beginNested(26).attr(2, new byte[132]).attr(10, new byte[620]).endNested(); // IFLA_AF_SPEC: inet, inet6
            byte[] msg = m.build(4242);
            if (current.size() + msg.length > 32 * 1024) {
                datagrams.add(current.toByteArray());
                current.reset();
            }
            current.writeBytes(msg);
        }
        byte[] done = new MessageBuilder(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI).attrU32(0, 0).build(4242);
        current.writeBytes(done);
        datagrams.add(current.toByteArray());
        return datagrams;
    }
}
