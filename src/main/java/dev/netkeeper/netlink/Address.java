package dev.netkeeper.netlink;

/** An IP address assigned to a link (RTM_NEWADDR). {@code flags} are IFA_F_* from if_addr.h. */
public record Address(int linkIndex, IpPrefix prefix, int scope, int flags) {}
