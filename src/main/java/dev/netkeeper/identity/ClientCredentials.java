package dev.netkeeper.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client side of the door's TLS. In an agent's {@code netkeeper.tls.dir}: {@value #CA} (the client CA's
 * certificate: whom the door serves) and, on the host that holds the cluster's CAs, {@value #CA_KEY}. In a client's
 * directory (what {@code netkeeper certs client NAME --out DIR} writes): {@value #CERT} and {@value #KEY} (the
 * client's credentials, subject {@code CN=NAME}, SAN {@code client-NAME}) and {@link NodeCredentials#CA} (whom the
 * client trusts to be an agent).
 */
public final class ClientCredentials {
    public static final String CA = "client-ca.pem";
    public static final String CA_KEY = "client-ca.key";
    public static final String CERT = "client.pem";
    public static final String KEY = "client.key";
    /** A client name is one word: it becomes a DNS name and the subject's CN. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private ClientCredentials() {}

    /**
     * Makes sure an agent's {@code dir} has the client CA's certificate: made with its key where the node CA's key
     * is (the host that holds the cluster's CAs; a fresh single host), refused otherwise with what to copy.
     */
    public static void ensureAuthority(Path dir) {
        if (Files.exists(dir.resolve(CA))) {
            return;
        }
        if (!Files.exists(dir.resolve(NodeCredentials.CA_KEY))) {
            throw new IllegalStateException("no client CA in " + dir + ": copy " + CA + " from the host that holds the"
                    + " cluster's CAs (netkeeper certs host ID --out DIR writes it with the host's credentials)");
        }
        CertificateAuthority.create("netkeeper client CA").credentials().write(dir.resolve(CA_KEY), dir.resolve(CA));
    }

    /**
     * Issues client {@code name}'s credentials from the client CA in {@code caDir} (an agent's TLS directory; the
     * client CA is made there if it has none yet) into {@code outDir}, with the node CA's certificate.
     */
    public static void issue(Path caDir, String name, Path outDir) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a client name is letters, digits, '.', '_' or '-' (at most 63, first a"
                    + " letter or digit): " + name);
        }
        ensureAuthority(caDir);
        if (!Files.exists(caDir.resolve(CA_KEY))) {
            throw new IllegalStateException("no client CA key in " + caDir + ": issue client credentials on the host that"
                    + " holds it");
        }
        CertificateAuthority ca = CertificateAuthority.read(caDir.resolve(CA_KEY), caDir.resolve(CA));
        NodeCredentials.directory(outDir);
        ca.issue(name, List.of(Credentials.CLIENT_NAME_PREFIX + name)).write(outDir.resolve(KEY), outDir.resolve(CERT));
        Credentials.writePem(outDir.resolve(NodeCredentials.CA), Credentials.readCertificate(caDir.resolve(NodeCredentials.CA)),
                false);
    }
}
