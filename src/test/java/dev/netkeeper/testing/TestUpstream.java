package dev.netkeeper.testing;

import dev.netkeeper.netlink.NetNamespace;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream DNS server in the test's "outside" namespace (UDP port 53): the records it is given, NXDOMAIN for any
 * other name; counts the queries it saw.
 */
public final class TestUpstream implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, String> records;
    private final AtomicInteger queries = new AtomicInteger();

    private TestUpstream(DatagramSocket socket, Map<String, String> records) {
        this.socket = socket;
        this.records = Map.copyOf(records);
        Thread t = new Thread(this::serve, "test-upstream-dns");
        t.setDaemon(true);
        t.start();
    }

    /** {@code records}: absolute name ("outside.example.") → IPv4 address. */
    public static TestUpstream start(Path namespace, String address, Map<String, String> records) {
        try (NetNamespace ns = NetNamespace.open(namespace)) {
            DatagramSocket s = ns.call(() -> new DatagramSocket(new InetSocketAddress(address, 53)));
            return new TestUpstream(s, records);
        }
    }

    public int queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            try {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                socket.receive(in);
                queries.incrementAndGet();
                Message q = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.getHeader().setFlag(Flags.RA);
                r.addRecord(q.getQuestion(), Section.QUESTION);
                Record question = q.getQuestion();
                String address = records.get(question.getName().toString().toLowerCase(java.util.Locale.ROOT));
                if (address == null) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                } else if (question.getType() == Type.A) {
                    r.addRecord(new ARecord(question.getName(), DClass.IN, 60, InetAddress.getByName(address)),
                            Section.ANSWER);
                }
                byte[] out = r.toWire();
                socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
