package dev.netkeeper.testing;

import dev.netkeeper.netlink.NetNamespace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * TCP and UDP endpoints inside test namespaces, made by this JVM: a socket is created while the thread is in the
 * namespace (setns) and stays there, so no process is started to listen or to connect.
 */
public final class NsSockets {
    private NsSockets() {}

    private static <T> T in(Path ns, java.util.concurrent.Callable<T> work) {
        try (NetNamespace n = NetNamespace.open(ns)) {
            return n.call(work);
        }
    }

    /**
     * A TCP server in {@code ns} on {@code port} that answers each connection with the address it came from
     * ("198.51.100.1") and closes it. Close it to stop.
     */
    public static ServerSocket tellPeer(Path ns, int port) {
        ServerSocket server = in(ns, () -> new ServerSocket(port));
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write((s.getInetAddress().getHostAddress() + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // closed: the test is done with it
                }
            }
        }, "tcp-" + port);
        t.setDaemon(true);
        t.start();
        return server;
    }

    /** A UDP server in {@code ns} on {@code port} answering each datagram with {@code name}. */
    public static DatagramSocket udpAnswer(Path ns, int port, String name) {
        DatagramSocket socket = in(ns, () -> new DatagramSocket(port));
        Thread t = new Thread(() -> {
            byte[] buf = new byte[512];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    byte[] answer = name.getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                } catch (IOException e) {
                    // closed
                }
            }
        }, "udp-" + port);
        t.setDaemon(true);
        t.start();
        return socket;
    }

    /** Connects from {@code ns} to {@code address}:{@code port}; the server's first line, or null (no connection in 2 s). */
    public static String tcpLine(Path ns, String address, int port) {
        // a channel has its descriptor from the start (a plain Socket makes it only at connect, outside the namespace)
        try (Socket s = in(ns, () -> java.nio.channels.SocketChannel.open().socket())) {
            s.connect(new InetSocketAddress(InetAddress.getByName(address), port), 2000);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** A UDP client in {@code ns} bound to {@code localPort} (0: any): a stable source, as a long-lived flow has. */
    public static DatagramSocket udpClient(Path ns, int localPort) {
        return in(ns, () -> new DatagramSocket(localPort));
    }

    /** One datagram to {@code address}:{@code port} and the answer, or null (none in 1 s). */
    public static String udpAsk(DatagramSocket client, String address, int port) {
        try {
            client.setSoTimeout(1000);
            byte[] q = "?".getBytes(StandardCharsets.UTF_8);
            client.send(new DatagramPacket(q, q.length, InetAddress.getByName(address), port));
            byte[] buf = new byte[512];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            client.receive(p);
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
