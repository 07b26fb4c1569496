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

    /**
     * The door's side: the principal ({@code CN=...}, the certificate's subject) when the proof holds, empty when
     * anything about it does not (a certificate that is no client's of {@code clientCa}, expired, or a signature
     * by another key or of another text).
     */
    public static Optional<String> verify(Signed proof, String nonce, String hostId, X509Certificate clientCa) {
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new java.io.ByteArrayInputStream(Base64.getDecoder().decode(proof.certificate())));
            cert.verify(clientCa.getPublicKey());
            cert.checkValidity(new Date());
            if (!cert.getIssuerX500Principal().equals(clientCa.getSubjectX500Principal())
                    || Credentials.clientNameOf(cert).isEmpty()) {
                return Optional.empty();
            }
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(cert.getPublicKey());
            s.update(text(nonce, hostId));
            return s.verify(Base64.getDecoder().decode(proof.signature()))
                    ? Optional.of(cert.getSubjectX500Principal().getName()) : Optional.empty();
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    private static byte[] text(String nonce, String hostId) {
        return (CONTEXT + "\n" + nonce + "\n" + hostId).getBytes(StandardCharsets.UTF_8);
    }
}
