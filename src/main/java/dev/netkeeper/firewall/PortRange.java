package dev.netkeeper.firewall;

/** The host ports the agent picks from when a mapping leaves the host port open (setting netkeeper.firewall.port-range). */
public record PortRange(int from, int to) {
    public static final PortRange DEFAULT = new PortRange(49153, 60999);

    public PortRange {
        if (from < 1 || to > 65535 || from > to) {
            throw new IllegalArgumentException("port range " + from + "-" + to + " is not within 1-65535");
        }
    }

    /** "49153-60999". */
    public static PortRange parse(String text) {
        String[] parts = text.strip().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("port range '" + text + "' is not FROM-TO");
        }
        return new PortRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
    }
}
