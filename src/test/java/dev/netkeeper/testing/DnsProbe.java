package dev.netkeeper.testing;

import dev.netkeeper.netlink.NetNamespace;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A DNS client inside a test's namespace, as a container's resolver library is: its socket is made in that namespace
 * and asks a server by address (UDP, or TCP with the two-byte length). Empty when no answer came in time.
 */
public final class DnsProbe {
    private DnsProbe() {}

    public static Optional<Message> udp(Path namespace, String server, String name, int type, int timeoutMillis) {
        try (NetNamespace ns = NetNamespace.open(namespace)) {
            DatagramSocket socket = ns.call(DatagramSocket::new);
            try (socket) {
                socket.setSoTimeout(timeoutMillis);
                byte[] query = query(name, type).toWire();
                InetAddress to = InetAddress.getByName(server);
                socket.send(new DatagramPacket(query, query.length, to, 53));
                DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
                socket.receive(in);
                return Optional.of(new Message(java.util.Arrays.copyOf(in.getData(), in.getLength())));
            }
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("querying " + server + " from " + namespace + ": " + e, e);
        }
    }

    public static Optional<Message> tcp(Path namespace, String server, String name, int type, int timeoutMillis) {
        try (NetNamespace ns = NetNamespace.open(namespace)) {
            // the descriptor is made (and connected) inside the namespace: a plain Socket would make it at connect
            Socket socket = ns.call(() -> {
                java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open();
                ch.socket().connect(new java.net.InetSocketAddress(server, 53), timeoutMillis);
                return ch.socket();
            });
            try (socket) {
                socket.setSoTimeout(timeoutMillis);
                byte[] query = query(name, type).toWire();
                java.io.DataOutputStream out = new java.io.DataOutputStream(socket.getOutputStream());
                out.writeShort(query.length);
                out.write(query);
                out.flush();
                java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
                return Optional.of(new Message(in.readNBytes(in.readUnsignedShort())));
            }
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("querying " + server + " over TCP from " + namespace + ": " + e, e);
        }
    }

    /** The answer section's data as text ("10.0.0.2", "fd00::2", "beta."), in order. */
    public static List<String> answers(Message m) {
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }

    public static Message query(String name, int type) {
        try {
            Name n = Name.fromString(name.endsWith(".") ? name : name + ".");
            return Message.newQuery(Record.newRecord(n, type, DClass.IN));
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException(name, e);
        }
    }
}
