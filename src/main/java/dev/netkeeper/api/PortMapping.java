package dev.netkeeper.api;

import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A published port, as Docker's {@code -p} writes it: {@code [hostIP:]hostPort[-hostPortEnd]:containerPort[/tcp|udp|sctp]}.
 * Traffic to the host ({@code hostIp}, null: any of its addresses) on {@code hostPort} reaches the container on
 * {@code containerPort}. A request may leave the host port open: {@code hostPort} 0 (the agent picks a free one
 * from its range) or a range {@code hostPort-hostPortEnd} (it picks the first free one there); what the agent
 * journals and answers always names one port ({@link #resolved()}).
 */
public record PortMapping(String protocol, @Nullable String hostIp, int hostPort, int hostPortEnd, int containerPort) {
    private static final Pattern FORM = Pattern.compile(
            "(?:(?<ip>\\[[0-9a-fA-F:.]+\\]|[0-9.]+):)?(?<from>[0-9]{0,5})(?:-(?<to>[0-9]{1,5}))?:(?<cport>[0-9]{1,5})"
                    + "(?:/(?<proto>[a-zA-Z]+))?");

    public PortMapping {
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        hostIp = hostIp == null || hostIp.isEmpty() || hostIp.equals("0.0.0.0") || hostIp.equals("::") ? null : hostIp;
        if (hostPortEnd == 0) {
            hostPortEnd = hostPort;
        }
        check(protocol, hostIp, hostPort, hostPortEnd, containerPort);
    }

    /** The container port published on host port {@code hostPort} (0: one the agent picks), any host address, TCP. */
    public static PortMapping tcp(int hostPort, int containerPort) {
        return new PortMapping("tcp", null, hostPort, hostPort, containerPort);
    }

    public static PortMapping udp(int hostPort, int containerPort) {
        return new PortMapping("udp", null, hostPort, hostPort, containerPort);
    }

    /**
     * Parses Docker's form.
     *
     * @throws NetkeeperException INVALID_OPTION naming what is wrong
     */
    public static PortMapping parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "port mapping '" + text
                    + "' is not [hostIP:]hostPort[-end]:containerPort[/tcp|udp|sctp]");
        }
        String ip = m.group("ip");
        if (ip != null && ip.startsWith("[")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        int from = m.group("from").isEmpty() ? 0 : Integer.parseInt(m.group("from"));
        int to = m.group("to") == null ? from : Integer.parseInt(m.group("to"));
        return new PortMapping(m.group("proto"), ip, from, to, Integer.parseInt(m.group("cport")));
    }

    /**
     * A mapping naming only its host side, {@code [hostIP:]hostPort[/proto]}, as {@code unpublish} takes it (the
     * container port is not compared there; it is set to the host port).
     */
    public static PortMapping hostSide(String text) {
        String t = text == null ? "" : text.strip();
        if (t.matches("(?:(?:\\[[0-9a-fA-F:.]+\\]|[0-9]+\\.[0-9.]+):)?[0-9]{1,5}(?:/[a-zA-Z]+)?")) {
            int slash = t.indexOf('/');
            String proto = slash < 0 ? "" : t.substring(slash);
            String host = slash < 0 ? t : t.substring(0, slash);
            int colon = host.lastIndexOf(':');
            String port = colon < 0 ? host : host.substring(colon + 1);
            return parse(host + ":" + port + proto);
        }
        return parse(t);
    }

    private static void check(String protocol, String hostIp, int hostPort, int hostPortEnd, int containerPort) {
        if (!protocol.equals("tcp") && !protocol.equals("udp") && !protocol.equals("sctp")) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "port mapping protocol '" + protocol
                    + "' is not tcp, udp or sctp");
        }
        if (containerPort < 1 || containerPort > 65535) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "container port " + containerPort
                    + " is not 1-65535");
        }
        if (hostPort < 0 || hostPort > 65535 || hostPortEnd < hostPort || hostPortEnd > 65535
                || (hostPort == 0 && hostPortEnd != 0)) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "host port " + hostPort
                    + (hostPortEnd != hostPort ? "-" + hostPortEnd : "") + " is not 0 (any) or a port or range in 1-65535");
        }
        if (hostIp != null && !isLiteral(hostIp)) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "host address '" + hostIp
                    + "' is not an IPv4 or IPv6 address");
        }
    }

    private static boolean isLiteral(String ip) {
        if (!ip.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return false; // never a name: InetAddress would resolve it
        }
        try {
            InetAddress.getByName(ip);
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Whether the host port is one port (not 0, not a range): what is journaled. */
    public boolean resolved() {
        return hostPort != 0 && hostPortEnd == hostPort;
    }

    public boolean hostIpv6() {
        return hostIp != null && hostIp.contains(":");
    }

    /** The same, on host port {@code port}. */
    public PortMapping on(int port) {
        return new PortMapping(protocol, hostIp, port, port, containerPort);
    }

    /** Docker's form, e.g. {@code 8080:80/tcp}, {@code 127.0.0.1:5353:53/udp}. */
    @Override
    public String toString() {
        String ip = hostIp == null ? "" : (hostIp.contains(":") ? "[" + hostIp + "]" : hostIp) + ":";
        String host = hostPort == 0 ? "" : hostPortEnd != hostPort ? hostPort + "-" + hostPortEnd : String.valueOf(hostPort);
        return ip + host + ":" + containerPort + "/" + protocol;
    }
}
