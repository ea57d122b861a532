package io.lamina.it.sources;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A throwaway PKI made at test time with the running JDK's {@code keytool}: certificate authorities and
 * certificates they sign, as PKCS12 key stores for the broker and as PEM text for Lamina's secrets.
 */
public final class TestPki {
    public static final String PASS = "changeit";
    private final Path dir;

    public TestPki(Path dir) {
        this.dir = dir;
    }

    /**
     * A certificate authority: its key store and its certificate (PEM); for an intermediate authority
     * {@code chainPem} continues with its issuers' certificates up to the root.
     */
    public record Authority(String name, Path keystore, String certificatePem, String chainPem) {
    }

    /** A certificate and its key as an AWS secret holds them: PEM chain (leaf first) and PKCS #8 key. */
    public record Issued(String name, Path keystore, String certificatePem, String chainPem, PrivateKey key) {
        /** The unencrypted PKCS #8 PEM AWS asks for ({@code -----BEGIN PRIVATE KEY-----}). */
        public String privateKeyPem() {
            return pem("PRIVATE KEY", key.getEncoded());
        }

        /**
         * The key encrypted with a PBES1 scheme ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}), which is
         * what Lambda supports ("Lambda supports the PBES1 (but not PBES2) private key encryption algorithm").
         */
        public String encryptedPrivateKeyPem(String password) {
            return encrypt(key.getEncoded(), password, "PBEWithSHA1AndDESede");
        }
    }

    public Authority authority(String name) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name,
                "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", PASS, "-keypass", PASS);
        Path pem = dir.resolve(name + ".pem");
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", ks.toString(), "-storepass", PASS,
                "-file", pem.toString());
        String cert = Files.readString(pem);
        return new Authority(name, ks, cert, cert);
    }

    /** An intermediate authority that {@code parent} signs, itself able to sign certificates. */
    public Authority intermediate(Authority parent, String name) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", PASS, "-keypass", PASS);
        Path csr = dir.resolve(name + ".csr");
        keytool("-certreq", "-alias", name, "-keystore", ks.toString(), "-storepass", PASS, "-file", csr.toString());
        Path pem = dir.resolve(name + ".pem");
        keytool("-gencert", "-rfc", "-alias", parent.name(), "-keystore", parent.keystore().toString(), "-storepass", PASS,
                "-infile", csr.toString(), "-outfile", pem.toString(), "-validity", "2", "-ext", "bc:c");
        keytool("-importcert", "-noprompt", "-alias", parent.name(), "-file", dir.resolve(parent.name() + ".pem").toString(),
                "-keystore", ks.toString(), "-storepass", PASS);
        keytool("-importcert", "-noprompt", "-alias", name, "-file", pem.toString(), "-keystore", ks.toString(),
                "-storepass", PASS);
        String cert = first(Files.readString(pem));
        Files.writeString(pem, cert);
        return new Authority(name, ks, cert, cert.strip() + "\n" + parent.chainPem());
    }

    /**
     * A key pair ({@code RSA} or {@code EC}) whose certificate {@code ca} signs, kept in a PKCS12 key store
     * with its chain; {@code san} is keytool's SAN extension value, or null.
     */
    public Issued issue(Authority ca, String name, String keyAlg, String san) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", keyAlg, "-dname", "CN=" + name, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", PASS, "-keypass", PASS);
        Path csr = dir.resolve(name + ".csr");
        keytool("-certreq", "-alias", name, "-keystore", ks.toString(), "-storepass", PASS, "-file", csr.toString());
        Path cert = dir.resolve(name + ".pem");
        var gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", ca.name(), "-keystore",
                ca.keystore().toString(), "-storepass", PASS, "-infile", csr.toString(), "-outfile", cert.toString(),
                "-validity", "2"));
        if (san != null) {
            gencert.addAll(List.of("-ext", "SAN=" + san));
        }
        keytool(gencert.toArray(String[]::new));
        Path caPem = dir.resolve(ca.name() + ".pem");
        keytool("-importcert", "-noprompt", "-alias", ca.name(), "-file", caPem.toString(), "-keystore", ks.toString(),
                "-storepass", PASS);
        keytool("-importcert", "-noprompt", "-alias", name, "-file", cert.toString(), "-keystore", ks.toString(),
                "-storepass", PASS);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) {
            store.load(in, PASS.toCharArray());
        }
        String leaf = first(Files.readString(cert));
        return new Issued(name, ks, leaf, leaf.strip() + "\n" + ca.chainPem(),
                (PrivateKey) store.getKey(name, PASS.toCharArray()));
    }

    /** A trust store (PKCS12) holding only the given authorities. */
    public Path truststore(String name, Authority... cas) throws Exception {
        Path ts = dir.resolve(name + ".p12");
        for (Authority ca : cas) {
            keytool("-importcert", "-noprompt", "-alias", ca.name(), "-file", dir.resolve(ca.name() + ".pem").toString(),
                    "-storetype", "PKCS12", "-keystore", ts.toString(), "-storepass", PASS);
        }
        return ts;
    }

    /** The first certificate of keytool's output: -gencert appends an intermediate signer's own certificate. */
    private static String first(String pem) {
        String end = "-----END CERTIFICATE-----";
        return pem.substring(0, pem.indexOf(end) + end.length()) + "\n";
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A PKCS #8 key encrypted with a password-based scheme the JDK knows by name. */
    public static String encrypt(byte[] pkcs8, String password, String pbeAlgorithm) {
        try {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            var key = SecretKeyFactory.getInstance(pbeAlgorithm).generateSecret(new PBEKeySpec(password.toCharArray()));
            Cipher c = Cipher.getInstance(pbeAlgorithm);
            c.init(Cipher.ENCRYPT_MODE, key, new PBEParameterSpec(salt, 2048));
            return pem("ENCRYPTED PRIVATE KEY", new EncryptedPrivateKeyInfo(c.getParameters(), c.doFinal(pkcs8)).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException("cannot encrypt a key with " + pbeAlgorithm, e);
        }
    }

    private static void keytool(String... args) throws Exception {
        var cmd = new ArrayList<String>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
        }
    }
}
