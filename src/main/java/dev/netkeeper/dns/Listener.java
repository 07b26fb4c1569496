package dev.netkeeper.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * One resolver address: a UDP and a TCP socket on port 53 of a gateway, made in the host namespace by the caller,
 * each with a thread reading it. A UDP query is answered from the socket it came to; a TCP connection (RFC 7766:
 * two-byte length before each message, several queries per connection) is read on a pooled thread until the client
 * closes it or stays quiet for {@link #TCP_IDLE_MILLIS}.
 */
final class Listener implements AutoCloseable {
    static final int PORT = 53;
    static final int TCP_IDLE_MILLIS = 10_000;

    /** Answers one query: its bytes, who sent it, over which transport, and where the answer goes. */
    interface Handler {
        void query(byte[] wire, InetSocketAddress from, boolean tcp, Consumer<byte[]> reply);
    }

    private final InetAddress address;
    private final DatagramChannel udp;
    private final ServerSocketChannel tcp;

    private Listener(InetAddress address, DatagramChannel udp, ServerSocketChannel tcp) {
        this.address = address;
        this.udp = udp;
        this.tcp = tcp;
    }

    /**
     * Binds both sockets on {@code address}, port 53; the calling thread must be in the host namespace (a socket stays
     * in the namespace it was made in). Fails when the address is not (yet) on the host.
     */
    static Listener bind(InetAddress address) throws IOException {
        DatagramChannel udp = DatagramChannel.open(address instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            udp.bind(new InetSocketAddress(address, PORT));
            ServerSocketChannel tcp = ServerSocketChannel.open();
            try {
                tcp.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                tcp.bind(new InetSocketAddress(address, PORT), 64);
                return new Listener(address, udp, tcp);
            } catch (IOException e) {
                tcp.close();
                throw e;
            }
        } catch (IOException e) {
            udp.close();
            throw e;
        }
    }

    InetAddress address() {
        return address;
    }

    void serve(Handler handler, ExecutorService connections) {
        Thread u = new Thread(() -> readUdp(handler), "dns-udp-" + address.getHostAddress());
        u.setDaemon(true);
        u.start();
        Thread t = new Thread(() -> accept(handler, connections), "dns-tcp-" + address.getHostAddress());
        t.setDaemon(true);
        t.start();
    }

    private void readUdp(Handler handler) {
        ByteBuffer buf = ByteBuffer.allocate(65535);
        while (udp.isOpen()) {
            try {
                buf.clear();
                InetSocketAddress from = (InetSocketAddress) udp.receive(buf);
                buf.flip();
                byte[] wire = new byte[buf.remaining()];
                buf.get(wire);
                handler.query(wire, from, false, answer -> {
                    try {
                        udp.send(ByteBuffer.wrap(answer), from);
                    } catch (IOException e) {
                        // the client is gone: nothing to tell it
                    }
                });
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // one bad datagram never stops the resolver
            }
        }
    }

    private void accept(Handler handler, ExecutorService connections) {
        while (tcp.isOpen()) {
            try {
                SocketChannel c = tcp.accept();
                connections.execute(() -> converse(c, handler));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                // a connection that failed to open (or the pool is closing): the next one
            }
        }
    }

    private static void converse(SocketChannel channel, Handler handler) {
        try (SocketChannel c = channel; Socket s = c.socket()) {
            s.setSoTimeout(TCP_IDLE_MILLIS);
            InetSocketAddress from = (InetSocketAddress) s.getRemoteSocketAddress();
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (true) {
                int length = in.readUnsignedShort();
                byte[] wire = in.readNBytes(length);
                if (wire.length < length) {
                    return;
                }
                java.util.concurrent.CompletableFuture<byte[]> answer = new java.util.concurrent.CompletableFuture<>();
                handler.query(wire, from, true, answer::complete);
                byte[] a = answer.get(TCP_IDLE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
                synchronized (out) {
                    out.writeShort(a.length);
                    out.write(a);
                    out.flush();
                }
            }
        } catch (Exception e) {
            // end of the conversation: closed, idle, or a query that got no answer
        }
    }

    @Override
    public void close() {
        try {
            udp.close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
