package io.lamina.it.sources;

import io.lamina.core.sources.SourceResources;
import io.lamina.it.LaminaFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.SourceAccessConfiguration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.lamina.it.sources.KafkaSupport.await;
import static io.lamina.it.sources.KafkaSupport.awaitState;
import static io.lamina.it.sources.KafkaSupport.invocations;
import static io.lamina.it.sources.KafkaSupport.sleep;
import static io.lamina.it.sources.KafkaSupport.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SourceAccessConfigurations against a broker that only speaks SASL over TLS (a self-signed certificate,
 * PLAIN and SCRAM-SHA-512 users): the credentials and the root CA come from secrets in Lamina's resources
 * file, as Lambda takes them from Secrets Manager.
 */
class KafkaSecurityTest {
    private static final String ACCOUNT = "000000000000";
    private static final String PLAIN_SECRET = "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:kafka-plain";
    private static final String SCRAM_SECRET = "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:kafka-scram";
    private static final String WRONG_SECRET = "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:kafka-wrong";
    private static final String CA_SECRET = "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:kafka-ca";
    private static final String PASS = "changeit";

    @TempDir
    static Path dir;

    private static KafkaClusterTestKit cluster;
    /** The SASL_SSL listener. */
    private static String servers;
    private static Properties client;
    private static KafkaProducer<byte[], byte[]> producer;
    private static LaminaFixture lamina;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("broker.p12");
        Path truststore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASS, "-keypass", PASS);
        Path pem = dir.resolve("broker.pem");
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", PASS,
                "-file", pem.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", pem.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", PASS);

        String plainJaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
                + "password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                // The test kit runs its own listeners in plaintext; clients get a SASL_SSL listener beside them.
                .setConfigProp("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SECURE://localhost:0")
                .setConfigProp("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SECURE:SASL_SSL")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("ssl.keystore.type", "PKCS12")
                .setConfigProp("ssl.keystore.location", keystore.toString())
                .setConfigProp("ssl.keystore.password", PASS)
                .setConfigProp("ssl.key.password", PASS)
                .setConfigProp("ssl.truststore.type", "PKCS12")
                .setConfigProp("ssl.truststore.location", truststore.toString())
                .setConfigProp("ssl.truststore.password", PASS)
                .setConfigProp("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512")
                .setConfigProp("listener.name.secure.plain.sasl.jaas.config", plainJaas)
                .setConfigProp("listener.name.secure.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        servers = "localhost:" + cluster.brokers().values().iterator().next()
                .boundPort(new org.apache.kafka.common.network.ListenerName("SECURE"));

        client = new Properties();
        client.put("bootstrap.servers", servers);
        client.put("security.protocol", "SASL_SSL");
        client.put("sasl.mechanism", "PLAIN");
        client.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"admin\" password=\"admin-secret\";");
        client.put("ssl.truststore.type", "PEM");
        client.put("ssl.truststore.certificates", Files.readString(pem));
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic("secured", 1, (short) 1))).all().get();
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("carol",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "carol-secret"))).all().get();
        }
        producer = new KafkaProducer<>(client, new ByteArraySerializer(), new ByteArraySerializer());

        String caPem = Files.readString(pem);
        lamina = LaminaFixture.start(c -> c.withSources(new SourceResources(Map.of(), Map.of(
                PLAIN_SECRET, Map.of("username", "alice", "password", "alice-secret"),
                SCRAM_SECRET, Map.of("username", "carol", "password", "carol-secret"),
                WRONG_SECRET, Map.of("username", "alice", "password", "not-her-password"),
                CA_SECRET, Map.of("certificate", caPem)))));
    }

    @AfterAll
    static void stop() throws Exception {
        lamina.close();
        producer.close();
        cluster.close();
    }

    private static void keytool(String... args) throws Exception {
        var cmd = new java.util.ArrayList<String>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }

    private static String mapping(String fn, String group, String authType, String secret) {
        var access = List.of(SourceAccessConfiguration.builder().type(authType).uri(secret).build(),
                SourceAccessConfiguration.builder().type("SERVER_ROOT_CA_CERTIFICATE").uri(CA_SECRET).build());
        String uuid = lamina.lambda().createEventSourceMapping(KafkaSupport.selfManaged(fn, servers,
                "secured").sourceAccessConfigurations(access).startingPosition(EventSourcePosition.TRIM_HORIZON)
                .selfManagedKafkaEventSourceConfig(k -> k.consumerGroupId(group)).build()).uuid();
        awaitState(lamina.lambda(), uuid, "Enabled");
        return uuid;
    }

    private static void function(String fn) {
        lamina.create(b -> b.functionName(fn).runtime(Runtime.NODEJS20_X).handler("index.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(KafkaSupport.node())))
                .environment(e -> e.variables(Map.of("RECORD_DIR", dir.toString()))));
    }

    @Test
    void saslPlainAndScram512OverTls_withTheRootCaFromASecret_deliverRecords() throws Exception {
        producer.send(new ProducerRecord<>("secured", 0, null, "secret-1".getBytes())).get();
        function("kafka-sasl-plain");
        function("kafka-sasl-scram");
        mapping("kafka-sasl-plain", "plain-group", "BASIC_AUTH", PLAIN_SECRET);
        mapping("kafka-sasl-scram", "scram-group", "SASL_SCRAM_512_AUTH", SCRAM_SECRET);
        await("both functions to get the record", Duration.ofSeconds(30), () ->
                values(invocations(dir, "kafka-sasl-plain"), true).contains("secret-1")
                        && values(invocations(dir, "kafka-sasl-scram"), true).contains("secret-1"));
    }

    @Test
    void aWrongPassword_deliversNothing_andTheMappingReportsTheSaslFailure() {
        function("kafka-sasl-wrong");
        String uuid = mapping("kafka-sasl-wrong", "wrong-group", "BASIC_AUTH", WRONG_SECRET);
        await("the SASL failure reported", Duration.ofSeconds(30), () -> "PROBLEM: SASL authentication failed."
                .equals(lamina.lambda().getEventSourceMapping(r -> r.uuid(uuid)).lastProcessingResult()));
        sleep(500);
        assertThat(invocations(dir, "kafka-sasl-wrong")).isEmpty();
    }
}
