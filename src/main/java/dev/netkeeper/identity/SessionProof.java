package dev.netkeeper.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;

/**
 * The proof that opens a client session at an agent's door: the client signs the door's fresh challenge (a nonce,
 * for one host id) with its client key, and sends its certificate. The door accepts a proof whose certificate the
 * client CA signed, is valid now, names a client, and whose public key made the signature; the principal is the
 * certificate's subject. Signed text: {@value #CONTEXT}, the nonce and the host id, one per line.
 */
public final class SessionProof {
    static final String CONTEXT = "netkeeper client session v1";
    private static final String ALGORITHM = "SHA256withRSA";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private SessionProof() {}

    /** A fresh challenge nonce: 256 random bits, URL-safe base64. */
    public static String nonce() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /** The client's side: its certificate (base64 DER) and its signature (base64) of the challenge. */
    public record Signed(String certificate, String signature) {}

    public static Signed sign(Credentials client, String nonce, String hostId) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(client.key());
            s.update(text(nonce, hostId));
            return new Signed(Base64.getEncoder().encodeToString(client.certificate().getEncoded()),
                    Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the session challenge: " + e, e);
        }
    }

    /** A proof that held: who it proved (the certificate's subject) and the certificate, kept by the session. */
    public record Proved(String principal, X509Certificate certificate) {}

    /**
     * The door's side: what the proof proved, or empty when anything about it does not hold (a certificate that is
     * no client's of {@code clientCa}, expired, or a signature by another key or of another text). Never throws.
     */
    public static Optional<Proved> verify(Signed proof, String nonce, String hostId, X509Certificate clientCa) {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new java.io.ByteArrayInputStream(Base64.getDecoder().decode(proof.certificate())));
            if (!trusted(cert, clientCa)) {
                return Optional.empty();
            }
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(cert.getPublicKey());
            s.update(text(nonce, hostId));
            return s.verify(Base64.getDecoder().decode(proof.signature()))
                    ? Optional.of(new Proved(cert.getSubjectX500Principal().getName(), cert)) : Optional.empty();
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code cert} is, now, a client certificate that {@code clientCa} signed and that has not expired: what a
     * session checks again on every call, so that an expired certificate or a rotated client CA ends it.
     */
    public static boolean trusted(X509Certificate cert, X509Certificate clientCa) {
        try {
            cert.verify(clientCa.getPublicKey());
            cert.checkValidity(new Date());
            return cert.getIssuerX500Principal().equals(clientCa.getSubjectX500Principal())
                    && Credentials.clientNameOf(cert).isPresent();
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] text(String nonce, String hostId) {
        return (CONTEXT + "\n" + nonce + "\n" + hostId).getBytes(StandardCharsets.UTF_8);
    }
}
