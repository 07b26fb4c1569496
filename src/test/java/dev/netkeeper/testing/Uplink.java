package dev.netkeeper.testing;

/**
 * A test host joined to an "outside" namespace by a veth (host {@value #HOST}, outside {@value #OUTSIDE}, from
 * TEST-NET-2); the outside routes the container subnets (10/8) back through the host, so that what must be
 * dropped would get through. Nothing leaves the two namespaces.
 */
public final class Uplink {
    public static final String HOST = "198.51.100.1";
    public static final String OUTSIDE = "198.51.100.2";

    private Uplink() {}

    public static void join(String host, String outside) {
        IpOracle.ipIn(host, "link", "add", "nkup0", "type", "veth", "peer", "name", "eth0", "netns", outside);
        IpOracle.ipIn(host, "addr", "add", HOST + "/24", "dev", "nkup0");
        IpOracle.ipIn(host, "link", "set", "nkup0", "up");
        IpOracle.ipIn(outside, "addr", "add", OUTSIDE + "/24", "dev", "eth0");
        IpOracle.ipIn(outside, "link", "set", "eth0", "up");
        IpOracle.ipIn(outside, "link", "set", "lo", "up");
        IpOracle.ipIn(outside, "route", "add", "10.0.0.0/8", "via", HOST);
    }
}
