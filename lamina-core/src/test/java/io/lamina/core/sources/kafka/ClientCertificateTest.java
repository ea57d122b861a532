package io.lamina.core.sources.kafka;

import io.lamina.core.sources.SourceException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CLIENT_CERTIFICATE_TLS_AUTH secret's formats, with real keys and certificates made by the JDK's keytool. */
class ClientCertificateTest {
    private static final String INVALID = "PROBLEM: Provided certificate or private key is invalid.";

    @TempDir
    static Path dir;

    private record Pair(String certPem, byte[] pkcs8) {
        String keyPem() {
            return pem("PRIVATE KEY", pkcs8);
        }
    }

    private static Pair rsa;
    private static Pair ec;

    @BeforeAll
    static void keys() throws Exception {
        rsa = pair("rsa", "RSA");
        ec = pair("ec", "EC");
    }

    private static Pair pair(String name, String alg) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", alg, "-dname", "CN=" + name, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        return new Pair(pem("CERTIFICATE", store.getCertificate(name).getEncoded()),
                store.getKey(name, "changeit".toCharArray()).getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String encrypt(byte[] pkcs8, String password, String alg) throws Exception {
        byte[] salt = new byte[8];
        new SecureRandom().nextBytes(salt);
        var key = SecretKeyFactory.getInstance(alg).generateSecret(new PBEKeySpec(password.toCharArray()));
        Cipher c = Cipher.getInstance(alg);
        c.init(Cipher.ENCRYPT_MODE, key, new PBEParameterSpec(salt, 1000));
        var params = c.getParameters();
        if (alg.startsWith("PBEWithHmac")) {
            // A PBES2 scheme is named by its PRF and cipher; the key's AlgorithmIdentifier is PBES2 itself.
            var pbes2 = java.security.AlgorithmParameters.getInstance("PBES2");
            pbes2.init(params.getEncoded());
            params = pbes2;
        }
        return pem("ENCRYPTED PRIVATE KEY", new EncryptedPrivateKeyInfo(params, c.doFinal(pkcs8)).getEncoded());
    }

    @Test
    void pkcs8RsaAndEcKeys_withTheirCertificates_areAccepted_andNeedNoPassword() {
        var r = ClientCertificate.of(rsa.certPem(), rsa.keyPem(), Optional.empty());
        assertThat(r.chainPem()).isEqualTo(rsa.certPem());
        assertThat(r.keyPem()).isEqualTo(rsa.keyPem());
        assertThat(r.keyPassword()).isEmpty();
        assertThat(ClientCertificate.of(ec.certPem(), ec.keyPem(), Optional.empty()).keyPassword()).isEmpty();
    }

    @Test
    void aPasswordBesideAnUnencryptedKey_isNotPassedOn() {
        // Kafka would try to decrypt any key it is given a password for.
        assertThat(ClientCertificate.of(rsa.certPem(), rsa.keyPem(), Optional.of("unused")).keyPassword()).isEmpty();
    }

    @Test
    void aChainOutOfOrder_orWithACertificateTwice_isInvalid() {
        // Valid chains (leaf, intermediate, root) are exercised against a real broker in lamina-it's KafkaMutualTlsTest.
        assertThatThrownBy(() -> ClientCertificate.of(rsa.certPem() + ec.certPem(), rsa.keyPem(), Optional.empty()))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.problem()).contains(INVALID))
                .hasMessageContaining("is not the issuer of certificate 1");
        assertThatThrownBy(() -> ClientCertificate.of(rsa.certPem() + rsa.certPem(), rsa.keyPem(), Optional.empty()))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.problem()).contains(INVALID))
                .hasMessageContaining("more than once");
    }

    @Test
    void pbes1EncryptedKeys_areAccepted_withTheirPassword() throws Exception {
        for (String alg : List.of("PBEWithMD5AndDES", "PBEWithSHA1AndDESede")) {
            String key = encrypt(rsa.pkcs8(), "s3cret", alg);
            assertThat(ClientCertificate.of(rsa.certPem(), key, Optional.of("s3cret")).keyPassword()).as(alg).contains("s3cret");
        }
        String ecKey = encrypt(ec.pkcs8(), "s3cret", "PBEWithSHA1AndDESede");
        assertThat(ClientCertificate.of(ec.certPem(), ecKey, Optional.of("s3cret")).keyPem()).isEqualTo(ecKey);
    }

    @Test
    void unusableSecrets_areReportedAsAnInvalidCertificateOrKey() throws Exception {
        String pbes1 = encrypt(rsa.pkcs8(), "s3cret", "PBEWithSHA1AndDESede");
        var cases = new ArrayList<Object[]>();
        cases.add(new Object[]{rsa.certPem(), pbes1, Optional.empty(), "no privateKeyPassword"});
        cases.add(new Object[]{rsa.certPem(), pbes1, Optional.of("wrong"), "cannot be decrypted"});
        cases.add(new Object[]{rsa.certPem(), encrypt(rsa.pkcs8(), "s3cret", "PBEWithHmacSHA256AndAES_256"),
                Optional.of("s3cret"), "PBES2"});
        cases.add(new Object[]{rsa.certPem(), pem("RSA PRIVATE KEY", rsa.pkcs8()), Optional.empty(), "PKCS #8"});
        cases.add(new Object[]{rsa.certPem(), pem("EC PRIVATE KEY", ec.pkcs8()), Optional.empty(), "PKCS #8"});
        cases.add(new Object[]{rsa.certPem(), ec.keyPem(), Optional.empty(), "not a PKCS #8 RSA key"});
        cases.add(new Object[]{ec.certPem(), pair2Key(), Optional.empty(), "does not belong"});
        cases.add(new Object[]{rsa.certPem(), "not a key", Optional.empty(), "exactly one"});
        cases.add(new Object[]{rsa.certPem(), rsa.keyPem() + rsa.keyPem(), Optional.empty(), "exactly one"});
        cases.add(new Object[]{"no certificate here", rsa.keyPem(), Optional.empty(), "no PEM certificate"});
        cases.add(new Object[]{rsa.keyPem(), rsa.keyPem(), Optional.empty(), "PRIVATE KEY block"});
        cases.add(new Object[]{pem("CERTIFICATE", new byte[]{1, 2, 3}), rsa.keyPem(), Optional.empty(), "cannot be read"});
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Optional<String> password = (Optional<String>) c[2];
            assertThatThrownBy(() -> ClientCertificate.of((String) c[0], (String) c[1], password)).as((String) c[3])
                    .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.problem()).contains(INVALID))
                    .hasMessageContaining((String) c[3]);
        }
    }

    /** An EC key of the same curve as {@link #ec}'s certificate but not its own. */
    private static String pair2Key() throws Exception {
        var g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(((java.security.interfaces.ECPublicKey) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(ec.certPem().getBytes())).getPublicKey()).getParams());
        return pem("PRIVATE KEY", g.generateKeyPair().getPrivate().getEncoded());
    }
}
