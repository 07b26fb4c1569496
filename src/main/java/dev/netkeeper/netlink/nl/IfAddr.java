package dev.netkeeper.netlink.nl;

/** Address attributes and flags, from {@code /usr/include/linux/if_addr.h}. */
public final class IfAddr {
    private IfAddr() {}

    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    /** u32 that extends the u8 ifa_flags field. */
    public static final int IFA_FLAGS = 8;

    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;
}
