package io.lamina.core.sources.kafka;

import io.lamina.core.mappings.EventSourceMapping;
import io.lamina.core.mappings.MappingState;
import io.lamina.core.mappings.SourceKind;
import io.lamina.core.sources.SourceException;
import io.lamina.core.sources.SourceResources;
import org.junit.jupiter.api.Test;

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
    void properties_clientCertificateAndRootCa_configurePemKeystoreAndTruststore() {
        var res = new SourceResources(Map.of(), Map.of(SECRET, Map.of("certificate", "CERT", "privateKey", "KEY",
                "privateKeyPassword", "kp"), "ca", Map.of("certificate", "ROOT")));
        var p = KafkaSourceFactory.properties(mapping(SourceKind.SELF_MANAGED_KAFKA, List.of(
                new EventSourceMapping.SourceAccess("CLIENT_CERTIFICATE_TLS_AUTH", SECRET),
                new EventSourceMapping.SourceAccess("SERVER_ROOT_CA_CERTIFICATE", "ca"))), res);
        assertThat(p.getProperty("security.protocol")).isEqualTo("SSL");
        assertThat(p.getProperty("ssl.keystore.certificate.chain")).isEqualTo("CERT");
        assertThat(p.getProperty("ssl.keystore.key")).isEqualTo("KEY");
        assertThat(p.getProperty("ssl.key.password")).isEqualTo("kp");
        assertThat(p.getProperty("ssl.truststore.certificates")).isEqualTo("ROOT");
    }

    @Test
    void properties_missingSecret_isASourceError() {
        assertThatThrownBy(() -> KafkaSourceFactory.properties(mapping(SourceKind.SELF_MANAGED_KAFKA,
                List.of(new EventSourceMapping.SourceAccess("BASIC_AUTH", SECRET))), SourceResources.none()))
                .isInstanceOf(SourceException.class).hasMessageContaining(SECRET);
    }
}
