package io.lamina.it.sources;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.core.sources.SourceResources;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.lamina.it.sources.KafkaSupport.await;
import static io.lamina.it.sources.KafkaSupport.awaitState;
import static io.lamina.it.sources.KafkaSupport.invocations;
import static io.lamina.it.sources.KafkaSupport.records;
import static io.lamina.it.sources.KafkaSupport.sleep;
import static io.lamina.it.sources.KafkaSupport.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutual TLS end to end ({@code CLIENT_CERTIFICATE_TLS_AUTH} with {@code SERVER_ROOT_CA_CERTIFICATE}): a real
 * KRaft broker whose TLS listener requires a client certificate its CA signed, certificates made at test
 * time, secrets in Lamina's resources file as Lambda reads them from Secrets Manager, and records produced
 * over the same mutual-TLS listener.
 */
class KafkaMutualTlsTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:";
    private static final String CLIENT_SECRET = ARN + "kafka-client-rsa";
    private static final String EC_SECRET = ARN + "kafka-client-ec-encrypted";
    private static final String ROGUE_SECRET = ARN + "kafka-client-rogue";
    private static final String MISMATCHED_SECRET = ARN + "kafka-client-mismatched";
    private static final String CHAINED_SECRET = ARN + "kafka-client-intermediate";
    private static final String CA_SECRET = ARN + "kafka-root-ca";
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    static Path dir;

    private static KafkaBroker kafka;
    /** The broker's mutual-TLS listener. */
    private static String servers;
    private static KafkaProducer<byte[], byte[]> producer;
    private static LaminaFixture lamina;
    private static LambdaClient lambda;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = new TestPki(Files.createDirectories(dir.resolve("pki")));
        List<TestPki.Authority> cas = parallel(() -> pki.authority("lamina-test-ca"), () -> pki.authority("rogue-ca"));
        TestPki.Authority ca = cas.get(0), rogueCa = cas.get(1);
        List<TestPki.Issued> issued = parallel(
                () -> pki.issue(ca, "broker", "RSA", "dns:localhost,ip:127.0.0.1"),
                () -> pki.issue(ca, "lambda-rsa", "RSA", null),
                () -> pki.issue(ca, "lambda-ec", "EC", null),
                () -> pki.issue(rogueCa, "lambda-rogue", "RSA", null),
                () -> pki.issue(pki.intermediate(ca, "lamina-intermediate-ca"), "lambda-chained", "EC", null));
        TestPki.Issued broker = issued.get(0), rsa = issued.get(1), ec = issued.get(2), rogue = issued.get(3),
                chained = issued.get(4);

        kafka = KafkaBroker.startWithMutualTls(broker.keystore(), pki.truststore("broker-trust", ca), TestPki.PASS);
        servers = kafka.bootstrapServers("SECURE");

        Properties p = new Properties();
        p.put("bootstrap.servers", servers);
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.type", "PEM");
        p.put("ssl.keystore.certificate.chain", rsa.chainPem());
        p.put("ssl.keystore.key", rsa.privateKeyPem());
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.certificates", ca.certificatePem());
        p.put("linger.ms", "0");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());

        lamina = LaminaFixture.start(c -> c.withSources(new SourceResources(Map.of(), Map.of(
                CLIENT_SECRET, Map.of("certificate", rsa.chainPem(), "privateKey", rsa.privateKeyPem()),
                EC_SECRET, Map.of("certificate", ec.chainPem(), "privateKey", ec.encryptedPrivateKeyPem("ec-key-pw"),
                        "privateKeyPassword", "ec-key-pw"),
                ROGUE_SECRET, Map.of("certificate", rogue.chainPem(), "privateKey", rogue.privateKeyPem()),
                CHAINED_SECRET, Map.of("certificate", chained.chainPem(), "privateKey", chained.privateKeyPem()),
                MISMATCHED_SECRET, Map.of("certificate", rsa.chainPem(), "privateKey", rogue.privateKeyPem()),
                CA_SECRET, Map.of("certificate", ca.certificatePem())))));
        lambda = lamina.lambda();
    }

    @AfterAll
    static void stop() throws Exception {
        if (lamina != null) {
            lamina.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @SafeVarargs
    private static <T> List<T> parallel(Callable<T>... tasks) throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<T>>();
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(t));
            }
            var out = new ArrayList<T>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }

    private static RecordMetadata send(String topic, String key, String value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, 0, key == null ? null : key.getBytes(), value.getBytes())).get();
    }

    private static List<SourceAccessConfiguration> access(String clientSecret, boolean rootCa) {
        var out = new ArrayList<SourceAccessConfiguration>();
        out.add(SourceAccessConfiguration.builder().type("CLIENT_CERTIFICATE_TLS_AUTH").uri(clientSecret).build());
        if (rootCa) {
            out.add(SourceAccessConfiguration.builder().type("SERVER_ROOT_CA_CERTIFICATE").uri(CA_SECRET).build());
        }
        return out;
    }

    private static String map(String fn, String topic, List<SourceAccessConfiguration> access) {
        String uuid = lambda.createEventSourceMapping(KafkaSupport.selfManaged(fn, servers, topic)
                .sourceAccessConfigurations(access).startingPosition(EventSourcePosition.TRIM_HORIZON).build()).uuid();
        awaitState(lambda, uuid, "Enabled");
        return uuid;
    }

    private static void nodeFunction(String fn) {
        lamina.create(b -> b.functionName(fn).runtime(Runtime.NODEJS20_X).handler("index.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(KafkaSupport.node())))
                .environment(e -> e.variables(Map.of("RECORD_DIR", dir.toString()))));
    }

    private static String lastProcessingResult(String uuid) {
        return lambda.getEventSourceMapping(r -> r.uuid(uuid)).lastProcessingResult();
    }

    @Test
    void aClientCertificateTheBrokerTrusts_withTheServerRootCa_deliversRecordsToATypedJavaFunction() throws Exception {
        String fn = "mtls-java", topic = "mtls-typed";
        kafka.createTopic(topic, 1);
        RecordMetadata m0 = send(topic, "order-1", "{\"total\":42}");
        RecordMetadata m1 = send(topic, null, "second");
        lamina.create(b -> b.functionName(fn).runtime(Runtime.JAVA21).handler(KafkaSupport.JAVA_HANDLER).timeout(30)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.javaWithEvents())))
                .environment(e -> e.variables(Map.of("RECORD_DIR", dir.toString()))));
        String uuid = map(fn, topic, access(CLIENT_SECRET, true));

        await("both records", WAIT, () -> values(invocations(dir, fn), false).size() == 2);
        JsonNode first = invocations(dir, fn).getFirst();
        assertThat(first.get("eventSource").asText()).isEqualTo("SelfManagedKafka");
        assertThat(first.get("bootstrapServers").asText()).isEqualTo(servers);
        var all = new ArrayList<JsonNode>();
        invocations(dir, fn).forEach(inv -> {
            inv.get("records").fieldNames().forEachRemaining(k -> assertThat(k).isEqualTo(topic + "-0"));
            all.addAll(records(inv));
        });
        JsonNode r0 = all.get(0);
        assertThat(r0.get("topic").asText()).isEqualTo(topic);
        assertThat(r0.get("partition").asInt()).isZero();
        assertThat(r0.get("offset").asLong()).isEqualTo(m0.offset());
        assertThat(r0.get("timestamp").asLong()).isEqualTo(m0.timestamp());
        assertThat(r0.get("timestampType").asText()).isEqualTo("CREATE_TIME");
        assertThat(r0.get("key").asText()).isEqualTo("order-1");
        assertThat(r0.get("value").asText()).isEqualTo("{\"total\":42}");
        JsonNode r1 = all.get(1);
        assertThat(r1.get("offset").asLong()).isEqualTo(m1.offset());
        assertThat(r1.get("key").isNull()).isTrue();
        assertThat(r1.get("value").asText()).isEqualTo("second");
        await("the batch committed", WAIT, () -> kafka.committed(uuid).values().stream().anyMatch(o -> o == 2L));
        assertThat(lastProcessingResult(uuid)).isEqualTo("OK");
    }

    @Test
    void anEncryptedEcKey_withItsPassword_deliversRecords() throws Exception {
        String fn = "mtls-ec", topic = "mtls-ec";
        kafka.createTopic(topic, 1);
        send(topic, "k", "from-ec-client");
        nodeFunction(fn);
        map(fn, topic, access(EC_SECRET, true));
        await("the record", WAIT, () -> values(invocations(dir, fn), true).equals(List.of("from-ec-client")));
    }

    @Test
    void aClientCertificateTheBrokerDoesNotTrust_reportsServerFailedToAuthenticateLambda_andLosesNothingOnceFixed()
            throws Exception {
        String fn = "mtls-rogue", topic = "mtls-rogue";
        kafka.createTopic(topic, 1);
        send(topic, null, "before-1");
        send(topic, null, "before-2");
        nodeFunction(fn);
        String uuid = map(fn, topic, access(ROGUE_SECRET, true));
        await("the broker's refusal reported", WAIT,
                () -> "PROBLEM: Server failed to authenticate Lambda.".equals(lastProcessingResult(uuid)));
        sleep(500);
        assertThat(invocations(dir, fn)).isEmpty();

        lambda.updateEventSourceMapping(r -> r.uuid(uuid).sourceAccessConfigurations(access(CLIENT_SECRET, true)));
        awaitState(lambda, uuid, "Enabled");
        send(topic, null, "after");
        await("every record once", WAIT, () -> values(invocations(dir, fn), true).size() >= 3);
        sleep(500);
        assertThat(values(invocations(dir, fn), true)).containsExactly("before-1", "before-2", "after");
        await("the result cleared", WAIT, () -> "OK".equals(lastProcessingResult(uuid)));
    }

    @Test
    void aCertificateFromAnIntermediateCa_sentWithItsChain_isTrustedByABrokerThatKnowsOnlyTheRoot() throws Exception {
        String fn = "mtls-chained", topic = "mtls-chained";
        kafka.createTopic(topic, 1);
        send(topic, null, "via-intermediate");
        nodeFunction(fn);
        map(fn, topic, access(CHAINED_SECRET, true));
        await("the record", WAIT, () -> values(invocations(dir, fn), true).equals(List.of("via-intermediate")));
    }

    @Test
    void withoutAClientCertificate_aBrokerThatRequiresOne_isReportedAsServerFailedToAuthenticateLambda() throws Exception {
        assertRefused("mtls-no-cert",
                List.of(SourceAccessConfiguration.builder().type("SERVER_ROOT_CA_CERTIFICATE").uri(CA_SECRET).build()),
                "PROBLEM: Server failed to authenticate Lambda.");
    }

    @Test
    void withoutTheServerRootCa_thePrivateCaSignedBrokerIsNotTrusted_andTheMappingReportsIt() throws Exception {
        assertRefused("mtls-no-ca", access(CLIENT_SECRET, false), "PROBLEM: Lambda failed to authenticate server.");
    }

    @Test
    void aPrivateKeyThatIsNotTheCertificates_isReportedAsAnInvalidCertificateOrKey() throws Exception {
        assertRefused("mtls-mismatched", access(MISMATCHED_SECRET, true),
                "PROBLEM: Provided certificate or private key is invalid.");
    }

    /** A mapping (function and topic named {@code name}) that cannot read: it reports {@code problem}, invokes nothing. */
    private static void assertRefused(String name, List<SourceAccessConfiguration> access, String problem) throws Exception {
        kafka.createTopic(name, 1);
        send(name, null, "unseen");
        nodeFunction(name);
        String uuid = map(name, name, access);
        await(problem, WAIT, () -> problem.equals(lastProcessingResult(uuid)));
        sleep(500);
        assertThat(invocations(dir, name)).isEmpty();
    }
}
