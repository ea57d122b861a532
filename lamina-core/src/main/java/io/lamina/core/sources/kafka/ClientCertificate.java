package io.lamina.core.sources.kafka;

import io.lamina.core.sources.SourceException;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code CLIENT_CERTIFICATE_TLS_AUTH} secret, checked against what Lambda documents before Kafka's
 * PEM loader sees it (https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html): the
 * {@code certificate} field is a PEM chain, client certificate first; the {@code privateKey} is PKCS #8,
 * plain ({@code BEGIN PRIVATE KEY}) or encrypted ({@code BEGIN ENCRYPTED PRIVATE KEY}) with a PBES1 scheme
 * and the {@code privateKeyPassword}; Lambda does not support PBES2. A secret that breaks these rules, or
 * whose key does not belong to the first certificate, is AWS's "Provided certificate or private key is
 * invalid" rather than a handshake the broker later refuses for no visible reason.
 *
 * @param keyPassword present only for an encrypted key: Kafka decrypts whenever it is given one
 */
record ClientCertificate(String chainPem, String keyPem, Optional<String> keyPassword) {
    private static final String CLIENT = "CLIENT_CERTIFICATE_TLS_AUTH";
    private static final String ROOT_CA = "SERVER_ROOT_CA_CERTIFICATE";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    /** Checks the secret's fields; throws a {@link SourceException} naming AWS's problem when they are unusable. */
    static ClientCertificate of(String chainPem, String keyPem, Optional<String> password) {
        List<X509Certificate> chain = certificates(chainPem, CLIENT);
        if (chain.isEmpty()) {
            throw invalid("the certificate field holds no PEM certificate (-----BEGIN CERTIFICATE-----)", null);
        }
        checkOrder(chain);
        List<Block> keys = blocks(keyPem, CLIENT);
        if (keys.size() != 1) {
            throw invalid("the privateKey field must hold exactly one PEM private key, found " + keys.size(), null);
        }
        Block key = keys.getFirst();
        boolean encrypted = key.type().equals("ENCRYPTED PRIVATE KEY");
        if (!encrypted && !key.type().equals("PRIVATE KEY")) {
            throw invalid("the private key must be PKCS #8 (-----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED"
                    + " PRIVATE KEY-----), not " + key.type(), null);
        }
        if (encrypted && password.filter(p -> !p.isEmpty()).isEmpty()) {
            throw invalid("the private key is encrypted but the secret has no privateKeyPassword", null);
        }
        PKCS8EncodedKeySpec spec = encrypted ? decrypt(key.der(), password.orElseThrow()) : new PKCS8EncodedKeySpec(key.der());
        X509Certificate leaf = chain.getFirst();
        PrivateKey privateKey = privateKey(spec, leaf.getPublicKey().getAlgorithm());
        if (!belongTogether(privateKey, leaf)) {
            throw invalid("the private key does not belong to the first certificate of the chain ("
                    + leaf.getSubjectX500Principal().getName() + ")", null);
        }
        return new ClientCertificate(chainPem, keyPem, encrypted ? password : Optional.empty());
    }

    /**
     * Client certificate first, then each issuer in turn, as Lambda asks; Kafka's key store refuses any other
     * order, and a certificate given twice, only once it connects ("Certificate chain is not valid").
     */
    private static void checkOrder(List<X509Certificate> chain) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!chain.get(i).getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
                throw invalid("certificate " + (i + 2) + " of the chain (" + chain.get(i + 1).getSubjectX500Principal().getName()
                        + ") is not the issuer of certificate " + (i + 1) + " (" + chain.get(i).getSubjectX500Principal().getName()
                        + "); list the client certificate first, then its intermediates, then the root", null);
            }
        }
        if (new HashSet<>(chain).size() != chain.size()) {
            throw invalid("the chain holds a certificate more than once", null);
        }
    }

    /**
     * Checks a {@code SERVER_ROOT_CA_CERTIFICATE} secret's {@code certificate}: one or more PEM certificates.
     * Kafka would otherwise refuse it only when the consumer is made, as a generic connection error.
     */
    static String rootCertificates(String pem) {
        if (certificates(pem, ROOT_CA).isEmpty()) {
            throw invalid(ROOT_CA, "the certificate field holds no PEM certificate (-----BEGIN CERTIFICATE-----)", null);
        }
        return pem;
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(String pem, String accessType) {
        var out = new ArrayList<Block>();
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw invalid(accessType, "a " + m.group(1) + " block is not valid base64", e);
            }
        }
        return out;
    }

    private static List<X509Certificate> certificates(String pem, String accessType) {
        var out = new ArrayList<X509Certificate>();
        for (Block b : blocks(pem, accessType)) {
            if (!b.type().equals("CERTIFICATE")) {
                throw invalid(accessType, "the certificate field holds a " + b.type() + " block", null);
            }
            try {
                out.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(b.der())));
            } catch (GeneralSecurityException e) {
                throw invalid(accessType, "a certificate cannot be read: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static PKCS8EncodedKeySpec decrypt(byte[] der, String password) {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) {
            throw invalid("the encrypted private key cannot be read: " + e.getMessage(), e);
        }
        // The JDK names a PBES2 key after its PRF and cipher (PBEWithHmacSHA256AndAES_256); its parameters say PBES2.
        if (info.getAlgParameters() != null && "PBES2".equals(info.getAlgParameters().getAlgorithm())) {
            throw invalid("the private key is encrypted with PBES2 (" + info.getAlgName()
                    + "); Lambda supports PBES1 private key encryption only", null);
        }
        try {
            var secret = SecretKeyFactory.getInstance(info.getAlgName()).generateSecret(new PBEKeySpec(password.toCharArray()));
            Cipher cipher = Cipher.getInstance(info.getAlgName());
            cipher.init(Cipher.DECRYPT_MODE, secret, info.getAlgParameters());
            return info.getKeySpec(cipher);
        } catch (GeneralSecurityException e) {
            throw invalid("the private key cannot be decrypted with the privateKeyPassword (" + info.getAlgName()
                    + "): " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(PKCS8EncodedKeySpec spec, String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(spec);
        } catch (GeneralSecurityException e) {
            throw invalid("the private key is not a PKCS #8 " + algorithm + " key: " + e.getMessage(), e);
        }
    }

    /** Signs a probe with the key and verifies it with the certificate: true only for the certificate's own key. */
    private static boolean belongTogether(PrivateKey key, X509Certificate cert) {
        String alg = switch (cert.getPublicKey().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            // Kafka's PEM key store loads RSA, DSA and EC keys only.
            default -> throw invalid("the certificate's key algorithm " + cert.getPublicKey().getAlgorithm()
                    + " is not RSA, EC or DSA", null);
        };
        try {
            byte[] probe = "lamina".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            throw invalid("the private key cannot sign with the certificate's algorithm: " + e.getMessage(), e);
        }
    }

    private static SourceException invalid(String why, Throwable cause) {
        return invalid(CLIENT, why, cause);
    }

    private static SourceException invalid(String accessType, String why, Throwable cause) {
        return SourceException.withProblem(KafkaProblems.INVALID_CERTIFICATE_OR_KEY, accessType + " secret: " + why, cause);
    }
}
