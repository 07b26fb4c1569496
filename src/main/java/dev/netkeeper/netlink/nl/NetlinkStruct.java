package dev.netkeeper.netlink.nl;

import java.nio.ByteBuffer;

/** A fixed-size kernel struct that follows a netlink header (ifinfomsg, ifaddrmsg, rtmsg). */
public interface NetlinkStruct {
    /** sizeof the struct in bytes, already a multiple of 4. */
    int size();

    /** Writes the struct at the buffer's position (host byte order). */
    void writeTo(ByteBuffer buffer);
}
