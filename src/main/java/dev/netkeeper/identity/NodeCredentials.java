package dev.netkeeper.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A member's TLS material in its directory ({@code netkeeper.tls.dir}, default {@code DATA_DIR/tls}, mode 0700):
 * {@value #CA} (the node CA's certificate: whom to trust), {@value #CERT} and {@value #KEY} (this host's
 * credentials, naming its host id as {@code host-ID}), and on the host that holds the CA, {@value #CA_KEY}; beside
 * them the client CA's certificate ({@link ClientCredentials}), which the host's client door trusts.
 * A single agent makes all of it at its first start; another host's credentials are issued from the CA with
 * {@code netkeeper certs host ID --ca DIR --out DIR}.
 */
public final class NodeCredentials {
    public static final String CA = "node-ca.pem";
    public static final String CA_KEY = "node-ca.key";
    public static final String CERT = "node.pem";
    public static final String KEY = "node.key";

    private NodeCredentials() {}

    /**
     * Makes sure {@code dir} holds credentials for {@code hostId}: a missing CA and host credentials are made
     * (a fresh single host); host credentials are issued from a CA key that is there; otherwise the start is
     * refused with the command that issues them. Credentials naming another host id are refused.
     */
    public static void ensure(Path dir, String hostId) {
        directory(dir);
        if (!Files.exists(dir.resolve(CA))) {
            CertificateAuthority ca = CertificateAuthority.create("netkeeper node CA");
            ca.credentials().write(dir.resolve(CA_KEY), dir.resolve(CA));
        }
        if (!Files.exists(dir.resolve(CERT))) {
            if (!Files.exists(dir.resolve(CA_KEY))) {
                throw new IllegalStateException("no credentials for host " + hostId + " in " + dir + ": issue them on"
                        + " the host that holds the node CA with: netkeeper certs host " + hostId + " --out DIR, and copy"
                        + " DIR's files here");
            }
            issueHost(dir, hostId, dir);
        }
        String named = Credentials.read(dir.resolve(KEY), dir.resolve(CERT)).hostId().orElse("(none)");
        if (!named.equals(hostId)) {
            throw new IllegalStateException("the credentials in " + dir + " are host " + named + "'s, not " + hostId + "'s");
        }
        ClientCredentials.ensureAuthority(dir);
    }

    /**
     * Issues host {@code hostId}'s credentials from the node CA in {@code caDir} into {@code outDir} (with the CA's
     * certificate); a {@code caDir} without a CA gets one first (the cluster's first host).
     */
    public static void issueHost(Path caDir, String hostId, Path outDir) {
        if (!Files.exists(caDir.resolve(CA))) {
            directory(caDir);
            CertificateAuthority.create("netkeeper node CA").credentials().write(caDir.resolve(CA_KEY), caDir.resolve(CA));
        }
        if (!Files.exists(caDir.resolve(CA_KEY))) {
            throw new IllegalStateException("no node CA key in " + caDir + ": issue credentials on the host that holds it");
        }
        CertificateAuthority ca = CertificateAuthority.read(caDir.resolve(CA_KEY), caDir.resolve(CA));
        directory(outDir);
        ca.issue("netkeeper host " + hostId, List.of(Credentials.HOST_NAME_PREFIX + hostId))
                .write(outDir.resolve(KEY), outDir.resolve(CERT));
        ClientCredentials.ensureAuthority(caDir);
        if (!caDir.equals(outDir)) {
            Credentials.writePem(outDir.resolve(CA), ca.certificate(), false);
            // the host's client door serves the cluster's clients
            Credentials.writePem(outDir.resolve(ClientCredentials.CA),
                    Credentials.readCertificate(caDir.resolve(ClientCredentials.CA)), false);
        }
    }

    static void directory(Path dir) {
        try {
            if (Files.isSymbolicLink(dir)) {
                throw new IllegalStateException("the TLS directory " + dir + " is a symlink");
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the TLS directory " + dir + ": " + e, e);
        }
    }
}
