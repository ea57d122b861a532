package io.lamina.core.sources.kafka;

import io.lamina.core.mappings.EventSourceMapping;
import io.lamina.core.mappings.MappingState;
import io.lamina.core.mappings.SourceKind;
import io.lamina.core.sources.SourceException;
import io.lamina.core.sources.SourceResources;
import org.junit.jupiter.api.Test;

import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaSourceFactoryTest {
    private static final String MSK = "arn:aws:kafka:us-east-1:000000000000:cluster/c/abc";
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:000000000000:secret:kafka";

    static EventSourceMapping mapping(SourceKind kind, List<EventSourceMapping.SourceAccess> access) {
        return new EventSourceMapping("uuid-1", "arn:aws:lambda:us-east-1:000000000000:function:f", kind,
                kind == SourceKind.MSK ? Optional.of(MSK) : Optional.empty(),
                kind == SourceKind.MSK ? List.of() : List.of("a:9092", "b:9092"), 100, Optional.empty(),
                Optional.of("TRIM_HORIZON"), Optional.empty(), List.of(), Optional.empty(), List.of("t"), List.of(),
                access, Optional.of("group-1"), Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), true, 0, MappingState.Enabled, "", "", "esm", Map.of());
    }

    @Test
    void properties_selfManaged_useTheMappingsServersAndConsumerGroup_andNeverAutoCommit() {
        var p = KafkaSourceFactory.properties(mapping(SourceKind.SELF_MANAGED_KAFKA,
                List.of(new EventSourceMapping.SourceAccess("VPC_SUBNET", "subnet:x"))), SourceResources.none());
        assertThat(p.getProperty("bootstrap.servers")).isEqualTo("a:9092,b:9092");
        assertThat(p.getProperty("group.id")).isEqualTo("group-1");
        assertThat(p.getProperty("enable.auto.commit")).isEqualTo("false");
        assertThat(p.getProperty("max.poll.records")).isEqualTo("100");
        assertThat(p.getProperty("security.protocol")).isNull();
    }

    @Test
    void properties_msk_resolveTheClusterArnThroughTheResourcesFile() {
        var res = new SourceResources(Map.of(MSK, "localhost:19092"), Map.of());
        assertThat(KafkaSourceFactory.properties(mapping(SourceKind.MSK, List.of()), res).getProperty("bootstrap.servers"))
                .isEqualTo("localhost:19092");
    }

    @Test
    void properties_mskNotConfigured_isASourceErrorNamingTheArn() {
        assertThatThrownBy(() -> KafkaSourceFactory.properties(mapping(SourceKind.MSK, List.of()), SourceResources.none()))
                .isInstanceOf(SourceException.class).hasMessageContaining(MSK);
    }

    @Test
    void properties_saslScram512_takesTheSecretsCredentials_overTls() {
        var res = new SourceResources(Map.of(), Map.of(SECRET, Map.of("username", "alice", "password", "p\"w")));
        var p = KafkaSourceFactory.properties(mapping(SourceKind.SELF_MANAGED_KAFKA,
                List.of(new EventSourceMapping.SourceAccess("SASL_SCRAM_512_AUTH", SECRET))), res);
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(p.getProperty("sasl.jaas.config")).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"p\\\"w\";");
    }

    @Test
    void properties_clientCertificateAndRootCa_configurePemKeystoreAndTruststore() throws Exception {
        String[] certAndKey = selfSigned();
        String cert = certAndKey[0], key = certAndKey[1];
        var res = new SourceResources(Map.of(), Map.of(SECRET, Map.of("certificate", cert, "privateKey", key),
                "ca", Map.of("certificate", cert)));
        var p = KafkaSourceFactory.properties(mapping(SourceKind.SELF_MANAGED_KAFKA, List.of(
                new EventSourceMapping.SourceAccess("CLIENT_CERTIFICATE_TLS_AUTH", SECRET),
                new EventSourceMapping.SourceAccess("SERVER_ROOT_CA_CERTIFICATE", "ca"))), res);
        assertThat(p.getProperty("security.protocol")).isEqualTo("SSL");
        assertThat(p.getProperty("ssl.keystore.type")).isEqualTo("PEM");
        assertThat(p.getProperty("ssl.keystore.certificate.chain")).isEqualTo(cert);
        assertThat(p.getProperty("ssl.keystore.key")).isEqualTo(key);
        assertThat(p.getProperty("ssl.key.password")).isNull();
        assertThat(p.getProperty("ssl.truststore.certificates")).isEqualTo(cert);
    }

    @Test
    void properties_aClientCertificateSecretThatIsNoPem_isAnInvalidCertificateOrKey() {
        var res = new SourceResources(Map.of(), Map.of(SECRET, Map.of("certificate", "CERT", "privateKey", "KEY")));
        assertThatThrownBy(() -> KafkaSourceFactory.properties(mapping(SourceKind.SELF_MANAGED_KAFKA,
                List.of(new EventSourceMapping.SourceAccess("CLIENT_CERTIFICATE_TLS_AUTH", SECRET))), res))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.problem())
                        .contains("PROBLEM: Provided certificate or private key is invalid."));
    }

    @Test
    void properties_aRootCaSecretThatIsNoCertificate_isAnInvalidCertificate() {
        var res = new SourceResources(Map.of(), Map.of("ca", Map.of("certificate", "ROOT")));
        assertThatThrownBy(() -> KafkaSourceFactory.properties(mapping(SourceKind.SELF_MANAGED_KAFKA,
                List.of(new EventSourceMapping.SourceAccess("SERVER_ROOT_CA_CERTIFICATE", "ca"))), res))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.problem())
                        .contains("PROBLEM: Provided certificate or private key is invalid."))
                .hasMessageContaining("SERVER_ROOT_CA_CERTIFICATE");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A self-signed RSA certificate and its PKCS #8 key, made by keytool. */
    private static String[] selfSigned() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("lamina-cert");
        java.nio.file.Path ks = dir.resolve("k.p12");
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "k", "-keyalg", "RSA", "-dname", "CN=k", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        return new String[]{pem("CERTIFICATE", store.getCertificate("k").getEncoded()),
                pem("PRIVATE KEY", store.getKey("k", "changeit".toCharArray()).getEncoded())};
    }

    @Test
    void properties_missingSecret_isASourceError() {
        assertThatThrownBy(() -> KafkaSourceFactory.properties(mapping(SourceKind.SELF_MANAGED_KAFKA,
                List.of(new EventSourceMapping.SourceAccess("BASIC_AUTH", SECRET))), SourceResources.none()))
                .isInstanceOf(SourceException.class).hasMessageContaining(SECRET);
    }
}
