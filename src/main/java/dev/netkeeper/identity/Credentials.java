package dev.netkeeper.identity;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A private key and its certificate, as PEM files: the key mode 0600, written to a temporary file and renamed,
 * so that a reader (a rotating TLS provider) never sees half of one.
 */
public record Credentials(PrivateKey key, X509Certificate certificate) {
    /** The prefix of the DNS name (SAN) that binds a member's certificate to its host id: "host-ID". */
    public static final String HOST_NAME_PREFIX = "host-";
    /** The prefix of the DNS name (SAN) that names a JVM client's certificate: "client-NAME". */
    public static final String CLIENT_NAME_PREFIX = "client-";

    public void write(Path keyFile, Path certificateFile) {
        writePem(keyFile, key, true);
        writePem(certificateFile, certificate, false);
    }

    public static Credentials read(Path keyFile, Path certificateFile) {
        return new Credentials(readKey(keyFile), readCertificate(certificateFile));
    }

    /** The host id its certificate names ("host-ID" among its DNS SANs), if any. */
    public Optional<String> hostId() {
        return hostIdOf(certificate);
    }

    public static Optional<String> hostIdOf(X509Certificate certificate) {
        return named(certificate, HOST_NAME_PREFIX);
    }

    /** The client name its certificate names ("client-NAME" among its DNS SANs), if any. */
    public static Optional<String> clientNameOf(X509Certificate certificate) {
        return named(certificate, CLIENT_NAME_PREFIX);
    }

    private static Optional<String> named(X509Certificate certificate, String prefix) {
        for (String dns : dnsNames(certificate)) {
            if (dns.startsWith(prefix) && dns.length() > prefix.length()) {
                return Optional.of(dns.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    static List<String> dnsNames(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    if (((Integer) n.get(0)) == GeneralName.dNSName) {
                        out.add((String) n.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return out;
    }

    static void writePem(Path file, Object value, boolean secret) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    secret ? "rw-------" : "rw-r--r--")));
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
                w.write(text.toString());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e, e);
        }
    }

    static PrivateKey readKey(Path file) {
        Object o = readPem(file);
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the key in " + file + ": " + e, e);
        }
        throw new IllegalStateException(file + " holds no private key");
    }

    public static X509Certificate readCertificate(Path file) {
        Object o = readPem(file);
        if (!(o instanceof X509CertificateHolder holder)) {
            throw new IllegalStateException(file + " holds no certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot read the certificate in " + file + ": " + e, e);
        }
    }

    private static Object readPem(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            Object o = pem.readObject();
            if (o == null) {
                throw new IllegalStateException(file + " holds no PEM object");
            }
            return o;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e, e);
        }
    }
}
