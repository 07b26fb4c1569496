package dev.netkeeper.http;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Who may use the socket: root, and members of the group {@code group} (primary or listed in /etc/group).
 * The socket's mode already keeps others out; this check holds even if the mode is widened.
 */
final class SocketPeers {
    private final String group;
    private final Path groupFile;

    SocketPeers(String group, Path groupFile) {
        this.group = group;
        this.groupFile = groupFile;
    }

    static SocketPeers standard() {
        return new SocketPeers(LocalApi.GROUP, Path.of("/etc/group"));
    }

    /** The caller behind {@code endPoint}, if the kernel tells (always, for a unix socket). */
    static Optional<Caller> of(EndPoint endPoint) {
        if (!(endPoint instanceof SocketChannelEndPoint s)) {
            return Optional.empty();
        }
        SocketChannel channel = s.getChannel();
        try {
            UnixDomainPrincipal p = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return Optional.of(new Caller(p.user().getName(), p.group().getName()));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    boolean allowed(Caller caller) {
        return caller.user().equals("root") || caller.group().equals(group) || listedMember(caller.user());
    }

    /** Whether /etc/group lists {@code user} as a member of the group. */
    private boolean listedMember(String user) {
        try {
            for (String line : Files.readAllLines(groupFile)) {
                String[] f = line.split(":", -1); // name:password:gid:members
                if (f.length == 4 && f[0].equals(group) && Arrays.asList(f[3].split(",")).contains(user)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
