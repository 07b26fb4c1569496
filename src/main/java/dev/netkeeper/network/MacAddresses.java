package dev.netkeeper.network;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.netlink.IpPrefix;
import dev.netkeeper.netlink.MacAddress;

import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/** MAC addresses for container interfaces, chosen as Docker does. */
public final class MacAddresses {
    private MacAddresses() {}

    /** 02:42 followed by the four octets of the IPv4 address (libnetwork's genMAC). */
    public static MacAddress fromIPv4(String address) {
        InetAddress ip = IpPrefix.literal(Ipam.host(address));
        byte[] v4 = ip.getAddress();
        return MacAddress.of(new byte[] {0x02, 0x42, v4[0], v4[1], v4[2], v4[3]});
    }

    /**
     * {@code text} as the MAC of a new endpoint of {@code network}, in {@link MacAddress}'s spelling: a unicast
     * address (INVALID_OPTION otherwise) that no endpoint of the network has (ADDRESS_IN_USE).
     */
    public static String wanted(String text, EndpointIndex index, String network) {
        MacAddress mac;
        try {
            mac = MacAddress.parse(text);
        } catch (RuntimeException e) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "MAC '" + text + "' asked for is no MAC address");
        }
        if ((mac.bytes()[0] & 0x01) != 0 || mac.equals(new MacAddress(0))) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "MAC " + mac + " asked for is not a unicast address");
        }
        if (index.hasMac(mac.toString())) {
            throw new NetkeeperException(ErrorCode.ADDRESS_IN_USE, "MAC " + mac + " is held by another endpoint of network "
                    + network);
        }
        return mac.toString();
    }

    /**
     * The MAC of a new endpoint that asked for none: the one its IPv4 address gives, unless another endpoint of the
     * network holds it (one that asked for it), else a random one no endpoint holds.
     */
    static String free(String ipv4, EndpointIndex index) {
        if (ipv4 != null) {
            String derived = fromIPv4(ipv4).toString();
            if (!index.hasMac(derived)) {
                return derived;
            }
        }
        while (true) {
            String mac = random().toString();
            if (!index.hasMac(mac)) {
                return mac;
            }
        }
    }

    /** A random unicast, locally administered address, for interfaces without IPv4. */
    public static MacAddress random() {
        long bits = ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL;
        bits = (bits & ~(0x01L << 40)) | (0x02L << 40);
        return new MacAddress(bits);
    }
}
