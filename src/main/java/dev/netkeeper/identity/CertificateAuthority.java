package dev.netkeeper.identity;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A certificate authority of the cluster (the node CA for members, the client CA for JVM clients): an RSA key
 * (what Pekko's TLS loads) and a self-signed certificate; it issues credentials whose certificates carry the
 * DNS names (SANs) given, for TLS client and server use.
 */
public record CertificateAuthority(Credentials credentials) {
    private static final SecureRandom RANDOM = new SecureRandom();
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration VALIDITY = Duration.ofDays(825);

    public static CertificateAuthority create(String name) {
        KeyPair keys = rsa();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(300)),
                    Date.from(now.plus(CA_VALIDITY)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new CertificateAuthority(new Credentials(keys.getPrivate(), signWith(b, keys.getPrivate())));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot make a CA: " + e, e);
        }
    }

    public static CertificateAuthority read(Path keyFile, Path certificateFile) {
        return new CertificateAuthority(Credentials.read(keyFile, certificateFile));
    }

    public X509Certificate certificate() {
        return credentials.certificate();
    }

    /** Credentials for {@code commonName}, with {@code dnsNames} as SANs, signed by this CA. */
    public Credentials issue(String commonName, List<String> dnsNames) {
        KeyPair keys = rsa();
        Instant now = Instant.now();
        try {
            GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate(), serial(),
                    Date.from(now.minusSeconds(300)), Date.from(now.plus(VALIDITY)), new X500Name("CN=" + commonName),
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                            KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            return new Credentials(keys.getPrivate(), signWith(b, credentials.key()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot issue credentials for " + commonName + ": " + e, e);
        }
    }

    private static X509Certificate signWith(X509v3CertificateBuilder b, java.security.PrivateKey key) {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
        } catch (OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot sign a certificate: " + e, e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is missing from this JVM", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }
}
