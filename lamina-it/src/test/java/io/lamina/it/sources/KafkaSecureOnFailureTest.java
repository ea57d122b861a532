package io.lamina.it.sources;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.core.sources.SourceResources;
import io.lamina.it.LaminaFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.SourceAccessConfiguration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.lamina.it.sources.KafkaSupport.JSON;
import static io.lamina.it.sources.KafkaSupport.await;
import static io.lamina.it.sources.KafkaSupport.awaitState;
import static io.lamina.it.sources.KafkaSupport.invocations;
import static io.lamina.it.sources.KafkaSupport.sleep;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code kafka://} OnFailure topic on an authenticated cluster, end to end: the failed records must be
 * written with the same encryption and credentials the mapping reads with (mutual TLS, SASL/SCRAM over TLS),
 * since AWS only allows the source's own cluster as a Kafka destination. One real KRaft broker with both
 * listeners, certificates made at test time, secrets in Lamina's resources file; the destination topic is
 * read back over the same authenticated listener.
 */
class KafkaSecureOnFailureTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:";
    private static final String CLIENT_SECRET = ARN + "dlq-client-rsa";
    private static final String EC_SECRET = ARN + "dlq-client-ec-encrypted";
    private static final String SCRAM_SECRET = ARN + "dlq-scram";
    private static final String CA_SECRET = ARN + "dlq-root-ca";
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    static Path dir;

    private static KafkaBroker kafka;
    private static TestPki.Authority ca;
    private static TestPki.Issued client;
    /** Client settings (without bootstrap servers) of the mutual-TLS and the SCRAM listener. */
    private static Properties mtls, scram;
    private static LaminaFixture lamina;
    private static LambdaClient lambda;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = new TestPki(Files.createDirectories(dir.resolve("pki")));
        ca = pki.authority("dlq-test-ca");
        TestPki.Issued broker = pki.issue(ca, "broker", "RSA", "dns:localhost,ip:127.0.0.1");
        client = pki.issue(ca, "lambda-rsa", "RSA", null);
        TestPki.Issued ec = pki.issue(ca, "lambda-ec", "EC", null);

        kafka = KafkaBroker.startWithMutualTlsAndScram(broker.keystore(), pki.truststore("broker-trust", ca), TestPki.PASS);
        kafka.addScramUser("carol", "carol-secret");

        mtls = new Properties();
        mtls.put("bootstrap.servers", kafka.bootstrapServers("SECURE"));
        mtls.put("security.protocol", "SSL");
        mtls.put("ssl.keystore.type", "PEM");
        mtls.put("ssl.keystore.certificate.chain", client.chainPem());
        mtls.put("ssl.keystore.key", client.privateKeyPem());
        mtls.put("ssl.truststore.type", "PEM");
        mtls.put("ssl.truststore.certificates", ca.certificatePem());
        scram = new Properties();
        scram.put("bootstrap.servers", kafka.bootstrapServers("SCRAM"));
        scram.put("security.protocol", "SASL_SSL");
        scram.put("sasl.mechanism", "SCRAM-SHA-512");
        scram.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"carol\" password=\"carol-secret\";");
        scram.put("ssl.truststore.type", "PEM");
        scram.put("ssl.truststore.certificates", ca.certificatePem());
        // The SCRAM user reaches the broker through the metadata log; wait until it can log in.
        await("the SCRAM user", WAIT, () -> {
            try (Admin admin = Admin.create(scram)) {
                admin.describeCluster().clusterId().get();
                return true;
            } catch (Exception e) {
                return false;
            }
        });

        lamina = LaminaFixture.start(c -> c.withSources(new SourceResources(Map.of(), Map.of(
                CLIENT_SECRET, Map.of("certificate", client.chainPem(), "privateKey", client.privateKeyPem()),
                EC_SECRET, Map.of("certificate", ec.chainPem(), "privateKey", ec.encryptedPrivateKeyPem("ec-key-pw"),
                        "privateKeyPassword", "ec-key-pw"),
                SCRAM_SECRET, Map.of("username", "carol", "password", "carol-secret"),
                CA_SECRET, Map.of("certificate", ca.certificatePem())))));
        lambda = lamina.lambda();
    }

    @AfterAll
    static void stop() throws Exception {
        if (lamina != null) {
            lamina.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void mutualTls_aKafkaTopicDestination_getsEveryFailedRecord_keyedAsBefore_withTheFailureMetadata() throws Exception {
        String fn = "mtls-dlq", topic = "mtls-source", dlq = "mtls-dlq";
        kafka.createTopic(topic, 1);
        kafka.createTopic(dlq, 1);
        // Produced over the mutual-TLS listener too: the cluster is used only as an authenticated client would.
        try (var producer = new KafkaProducer<>(mtls, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "k1".getBytes(), "fail-a".getBytes())).get();
            producer.send(new ProducerRecord<>(topic, 0, "k2".getBytes(), "b".getBytes())).get();
        }
        function(fn);
        String uuid = map(fn, topic, dlq, mtls.getProperty("bootstrap.servers"), access("CLIENT_CERTIFICATE_TLS_AUTH", CLIENT_SECRET));

        assertFailedRecords(consume(mtls, dlq, 2), topic, mtls.getProperty("bootstrap.servers"), List.of("k1", "k2"),
                List.of("fail-a", "b"));
        await("commit past both", WAIT, () -> committed(uuid, topic) == 2);
        assertThat(invocations(dir, fn)).hasSize(1);
    }

    @Test
    void mutualTlsWithAnEncryptedKey_holdsTheBatchUntilTheDestinationTopicExists_thenDeliversAndCommits() throws Exception {
        String fn = "mtls-ec-dlq", topic = "mtls-ec-source", dlq = "mtls-ec-dlq";
        kafka.createTopic(topic, 1);
        kafka.send(topic, 0, "only", "fail-ec");
        function(fn);
        String servers = mtls.getProperty("bootstrap.servers");
        String uuid = map(fn, topic, dlq, servers, access("CLIENT_CERTIFICATE_TLS_AUTH", EC_SECRET));

        await("the one attempt", WAIT, () -> invocations(dir, fn).size() == 1);
        sleep(3000); // the destination topic does not exist (no auto-creation): the record stays uncommitted
        assertThat(committed(uuid, topic)).isZero();
        kafka.createTopic(dlq, 1);
        assertFailedRecords(consume(mtls, dlq, 1), topic, servers, List.of("only"), List.of("fail-ec"));
        await("commit past the record", WAIT, () -> committed(uuid, topic) == 1);
        assertThat(invocations(dir, fn)).hasSize(1);
    }

    @Test
    void saslScram512_aKafkaTopicDestination_getsEveryFailedRecord_keyedAsBefore_withTheFailureMetadata() throws Exception {
        String fn = "scram-dlq", topic = "scram-source", dlq = "scram-dlq";
        kafka.createTopic(topic, 1);
        kafka.createTopic(dlq, 1);
        try (var producer = new KafkaProducer<>(scram, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "s1".getBytes(), "fail-s".getBytes())).get();
            producer.send(new ProducerRecord<>(topic, 0, "s2".getBytes(), "t".getBytes())).get();
        }
        function(fn);
        String servers = scram.getProperty("bootstrap.servers");
        String uuid = map(fn, topic, dlq, servers, access("SASL_SCRAM_512_AUTH", SCRAM_SECRET));

        assertFailedRecords(consume(scram, dlq, 2), topic, servers, List.of("s1", "s2"), List.of("fail-s", "t"));
        await("commit past both", WAIT, () -> committed(uuid, topic) == 2);
    }

    /** One destination record per failed source record, in order, each with its key and its own metadata. */
    private static void assertFailedRecords(List<ConsumerRecord<byte[], byte[]>> got, String topic, String servers,
                                            List<String> keys, List<String> values) throws Exception {
        assertThat(got).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactlyElementsOf(keys);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < got.size(); i++) {
            JsonNode doc = JSON.readTree(got.get(i).value());
            assertThat(doc.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
            assertThat(doc.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(1);
            assertThat(doc.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
            assertThat(doc.at("/KafkaBatchInfo/bootstrapServers").asText()).isEqualTo(servers);
            assertThat(doc.at("/KafkaBatchInfo/recordInfo/offset").asText()).isEqualTo(Integer.toString(i));
            JsonNode records = doc.at("/payload/records/" + topic + "-0");
            assertThat(records).hasSize(1);
            assertThat(records.get(0).get("offset").asLong()).isEqualTo(i);
            seen.add(new String(Base64.getDecoder().decode(records.get(0).get("value").asText()), StandardCharsets.UTF_8));
        }
        assertThat(seen).containsExactlyElementsOf(values);
    }

    private static List<SourceAccessConfiguration> access(String type, String secret) {
        return List.of(SourceAccessConfiguration.builder().type(type).uri(secret).build(),
                SourceAccessConfiguration.builder().type("SERVER_ROOT_CA_CERTIFICATE").uri(CA_SECRET).build());
    }

    private static String map(String fn, String topic, String dlq, String servers, List<SourceAccessConfiguration> access) {
        String uuid = lambda.createEventSourceMapping(KafkaSupport.selfManaged(fn, servers, topic)
                .sourceAccessConfigurations(access).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .batchSize(2).maximumBatchingWindowInSeconds(1).maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(o -> o.destination("kafka://" + dlq))).build()).uuid();
        awaitState(lambda, uuid, "Enabled");
        return uuid;
    }

    private static void function(String fn) {
        lamina.create(b -> b.functionName(fn).runtime(Runtime.NODEJS20_X).handler("index.handler").timeout(30)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(KafkaSupport.node())))
                .environment(e -> e.variables(Map.of("RECORD_DIR", dir.toString()))));
    }

    /** The records of the destination topic, read over {@code listener}; exactly {@code count} of them. */
    private static List<ConsumerRecord<byte[], byte[]>> consume(Properties listener, String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> out = KafkaBroker.consume(listener, topic, count, WAIT);
        assertThat(out).hasSize(count);
        return out;
    }

    /** The committed offset of the mapping's group (its UUID) on partition 0, or -1 before any commit. */
    private static long committed(String group, String topic) {
        return kafka.committed(group).getOrDefault(new TopicPartition(topic, 0), -1L);
    }
}
