package dev.netkeeper.netlink;

/** RFC 2863 operational state, IF_OPER_* in if_link.h (values are the ordinals). */
public enum OperState {
    UNKNOWN, NOTPRESENT, DOWN, LOWERLAYERDOWN, TESTING, DORMANT, UP;

    public static OperState of(int value) {
        return value >= 0 && value < values().length ? values()[value] : UNKNOWN;
    }
}
