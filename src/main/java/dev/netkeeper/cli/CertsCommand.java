package dev.netkeeper.cli;

import com.typesafe.config.ConfigFactory;
import dev.netkeeper.identity.NodeCredentials;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code netkeeper certs host ID --out DIR [--ca DIR]}: issues host ID's member credentials from the node CA in
 * {@code --ca} (default: this machine's {@code netkeeper.tls.dir}; a CA is made there if it has none yet), into
 * {@code --out} (node.pem, node.key, node-ca.pem), in-process. Copy DIR to that host's {@code netkeeper.tls.dir}.
 */
final class CertsCommand implements Command {
    @Override
    public int run(Invocation inv) {
        Args args = inv.args().allow("certs", "--out", "--ca");
        List<String> words = args.operands("certs", 1, "host", "ID");
        if (!words.get(0).equals("host")) {
            throw new UsageException("usage: netkeeper certs host ID --out DIR [--ca DIR]");
        }
        String host = words.get(1);
        Path out = Path.of(args.value("--out").orElseThrow(() -> new UsageException("certs host: --out DIR is needed")));
        Path ca = args.value("--ca").map(Path::of).orElseGet(() -> Path.of(ConfigFactory.systemProperties()
                .withFallback(ConfigFactory.parseResources("application.conf")).resolve().getString("netkeeper.tls.dir")));
        NodeCredentials.issueHost(ca, host, out);
        inv.output().stream().println("issued host " + host + "'s member credentials into " + out + " (from the node CA in "
                + ca + ")");
        return 0;
    }
}
