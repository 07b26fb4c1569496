package dev.netkeeper.cli;

import dev.netkeeper.identity.ClientCredentials;
import dev.netkeeper.identity.NodeCredentials;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code netkeeper certs host ID --out DIR [--ca DIR]}: issues host ID's member credentials from the node CA in
 * {@code --ca} (default: this machine's {@code netkeeper.tls.dir}; the CAs are made there if it has none yet), into
 * {@code --out} (node.pem, node.key, node-ca.pem, client-ca.pem): copy DIR to that host's {@code netkeeper.tls.dir}.
 * {@code netkeeper certs client NAME --out DIR [--ca DIR]}: issues a JVM client's credentials from the client CA
 * (client.pem, client.key, node-ca.pem): the client's {@code --tls DIR}. In-process, no openssl.
 */
final class CertsCommand implements Command {
    private static final String USAGE = "usage: netkeeper certs host ID --out DIR [--ca DIR] | certs client NAME --out DIR"
            + " [--ca DIR]";

    @Override
    public int run(Invocation inv) {
        Args args = inv.args().allow("certs", "--out", "--ca");
        List<String> words = args.operands("certs", 1, "host|client", "NAME");
        String kind = words.get(0);
        String name = words.get(1);
        Path out = Path.of(args.value("--out").orElseThrow(() -> new UsageException("certs " + kind + ": --out DIR is needed")));
        Path ca = args.value("--ca").map(Path::of).orElseGet(() -> Invocation.defaultPath("netkeeper.tls.dir"));
        switch (kind) {
            case "host" -> {
                NodeCredentials.issueHost(ca, name, out);
                inv.output().stream().println("issued host " + name + "'s member credentials into " + out
                        + " (from the node CA in " + ca + ")");
            }
            case "client" -> {
                ClientCredentials.issue(ca, name, out);
                inv.output().stream().println("issued client " + name + "'s credentials into " + out
                        + " (from the client CA in " + ca + "): use them with --tls " + out);
            }
            default -> throw new UsageException(USAGE);
        }
        return 0;
    }
}
