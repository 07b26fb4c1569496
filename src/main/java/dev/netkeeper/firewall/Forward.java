package dev.netkeeper.firewall;

/**
 * One published port as the kernel sees it: traffic to {@code hostIp} (null: any address of the host) on
 * {@code hostPort}/{@code protocol} goes to {@code containerIp}:{@code containerPort}. The family is the
 * container address's.
 */
public record Forward(String protocol, String hostIp, int hostPort, String containerIp, int containerPort) {
    public boolean ipv6() {
        return containerIp.contains(":");
    }
}
