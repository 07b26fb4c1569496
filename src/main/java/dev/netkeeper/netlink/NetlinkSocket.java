package dev.netkeeper.netlink;

import com.sun.jna.Memory;
import dev.netkeeper.netlink.nl.Attributes;
import dev.netkeeper.netlink.nl.MessageBuilder;
import dev.netkeeper.netlink.nl.Netlink;
import dev.netkeeper.netlink.nl.NetlinkMessage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A NETLINK_ROUTE socket. It stays bound to the network namespace of the thread that opened it, so
 * one socket per namespace is enough to work there from any thread. Requests are serialised
 * (one in flight), matched to replies by sequence number; stale replies are skipped.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final int INITIAL_RECEIVE_BUFFER = 32 * 1024;
    private static final int DUMP_ATTEMPTS = 5;

    private final int fd;
    private Memory receiveBuffer = new Memory(INITIAL_RECEIVE_BUFFER);
    private int seq = (int) (System.nanoTime() & 0x3fffffff);
    private boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /** Opens a NETLINK_ROUTE socket in the calling thread's current network namespace. */
    public static NetlinkSocket open() {
        return open(Netlink.NETLINK_ROUTE);
    }

    /** Opens a socket of netlink family {@code protocol} (linux/netlink.h) in the calling thread's namespace. */
    public static NetlinkSocket open(int protocol) {
        int fd = Libc.socket(Netlink.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw KernelException.lastError("opening a netlink socket of family " + protocol);
        }
        try {
            // Best effort: older kernels lack them, and the socket works without.
            Libc.setsockopt(fd, Netlink.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, new int[] {1}, 4);
            Libc.setsockopt(fd, Netlink.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, new int[] {1}, 4);
            byte[] sockaddr = sockaddrKernel();
            if (Libc.bind(fd, sockaddr, sockaddr.length) < 0) {
                throw KernelException.lastError("binding a netlink socket of family " + protocol);
            }
            return new NetlinkSocket(fd);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * Sends a request that the kernel acknowledges (NLM_F_ACK is added) and returns the replies that came
     * before the acknowledgement (a GET answers with one object; a NEW/SET/DEL with none).
     */
    public synchronized List<NetlinkMessage> request(MessageBuilder request, String operation) {
        int mySeq = send(request.flags(Netlink.NLM_F_ACK), operation);
        List<NetlinkMessage> replies = new ArrayList<>();
        while (true) {
            for (NetlinkMessage m : receive(operation)) {
                if (m.seq() != mySeq) {
                    continue;
                }
                if (m.type() == Netlink.NLMSG_ERROR) {
                    throwIfError(m, operation);
                    return replies;
                }
                replies.add(m);
            }
        }
    }

    /** Sends an NLM_F_DUMP request and returns every object up to NLMSG_DONE, retrying an interrupted dump. */
    public synchronized List<NetlinkMessage> dump(MessageBuilder request, String operation) {
        for (int attempt = 1; ; attempt++) {
            int mySeq = send(request.flags(Netlink.NLM_F_DUMP), operation);
            List<NetlinkMessage> objects = new ArrayList<>();
            boolean interrupted = false;
            boolean done = false;
            while (!done) {
                for (NetlinkMessage m : receive(operation)) {
                    if (m.seq() != mySeq) {
                        continue;
                    }
                    interrupted |= (m.flags() & Netlink.NLM_F_DUMP_INTR) != 0;
                    if (m.type() == Netlink.NLMSG_ERROR) {
                        throwIfError(m, operation);
                        done = true;
                    } else if (m.type() == Netlink.NLMSG_DONE) {
                        ByteBuffer body = m.body();
                        if (body.remaining() >= 4 && body.getInt(0) < 0) {
                            throw new KernelException(new Errno(-body.getInt(0)), operation);
                        }
                        done = true;
                    } else if (m.type() != Netlink.NLMSG_NOOP) {
                        objects.add(m);
                    }
                }
            }
            // NLM_F_DUMP_INTR: the table changed while the kernel walked it; the result may miss objects.
            if (!interrupted || attempt == DUMP_ATTEMPTS) {
                return objects;
            }
        }
    }

    private int send(MessageBuilder request, String operation) {
        checkOpen();
        int mySeq = ++seq;
        byte[] bytes = request.flags(Netlink.NLM_F_REQUEST).build(mySeq);
        byte[] to = sockaddrKernel();
        while (true) {
            long n = Libc.sendto(fd, bytes, bytes.length, 0, to, to.length);
            if (n >= 0) {
                return mySeq;
            }
            if (Libc.errno() != Libc.EINTR) {
                throw KernelException.lastError("sending netlink request for " + operation);
            }
        }
    }

    /** One datagram. Peeks its size first so that no message is ever truncated, however large. */
    private List<NetlinkMessage> receive(String operation) {
        long size = recv(Libc.MSG_PEEK | Libc.MSG_TRUNC, operation);
        if (size > receiveBuffer.size()) {
            receiveBuffer.close();
            receiveBuffer = new Memory(Math.max(size, receiveBuffer.size() * 2));
        }
        long n = recv(0, operation);
        byte[] copy = receiveBuffer.getByteArray(0, (int) n);
        return NetlinkMessage.parseAll(ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()));
    }

    private long recv(int flags, String operation) {
        while (true) {
            long n = Libc.recvfrom(fd, receiveBuffer, receiveBuffer.size(), flags, null, null);
            if (n >= 0) {
                return n;
            }
            if (Libc.errno() != Libc.EINTR) {
                throw KernelException.lastError("receiving netlink reply for " + operation);
            }
        }
    }

    /** struct nlmsgerr: s32 error (negative errno, 0 = ack), the request's header, then ext-ack TLVs. */
    private static void throwIfError(NetlinkMessage m, String operation) {
        ByteBuffer body = m.body();
        int error = body.getInt(0);
        if (error == 0) {
            return;
        }
        String kernelMessage = null;
        if ((m.flags() & Netlink.NLM_F_ACK_TLVS) != 0) {
            int echoed = (m.flags() & Netlink.NLM_F_CAPPED) != 0 ? Netlink.NLMSG_HDRLEN : body.getInt(4);
            int tlvStart = 4 + Netlink.align(echoed);
            if (tlvStart <= body.limit()) {
                ByteBuffer tlvs = body.duplicate().position(tlvStart).slice().order(ByteOrder.nativeOrder());
                kernelMessage = Attributes.parse(tlvs)
                        .string(Netlink.NLMSGERR_ATTR_MSG).orElse(null);
            }
        }
        throw new KernelException(new Errno(-error), operation, kernelMessage);
    }

    private static byte[] sockaddrKernel() {
        // struct sockaddr_nl { u16 nl_family = AF_NETLINK; u16 pad; u32 nl_pid = 0 (kernel / autobind); u32 groups }
        return ByteBuffer.allocate(Netlink.SOCKADDR_NL_LEN).order(ByteOrder.nativeOrder())
                .putShort((short) Netlink.AF_NETLINK).array();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("netlink socket is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
            receiveBuffer.close();
        }
    }
}
