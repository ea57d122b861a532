package io.lamina.it.sources;

import org.apache.kafka.clients.admin.Admin;
import java.util.ArrayList;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * A real single-node KRaft Kafka (broker and controller in one) inside the test JVM, from Kafka's own
 * test kit, with a producer and an admin client for the tests.
 */
public final class KafkaBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Properties a = new Properties();
        a.put("bootstrap.servers", cluster.bootstrapServers());
        this.admin = Admin.create(a);
    }

    public static KafkaBroker start() {
        return start(Map.of());
    }

    /**
     * A broker with a second client listener, {@code SECURE}, that speaks TLS and requires a client
     * certificate the trust store's authorities signed ({@code ssl.client.auth=required}); the test kit's
     * own listener, used by {@link #producer()} and the admin client, stays plaintext.
     */
    public static KafkaBroker startWithMutualTls(java.nio.file.Path keystore, java.nio.file.Path truststore, String password) {
        return start(Map.ofEntries(
                Map.entry("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SECURE://localhost:0"),
                Map.entry("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SECURE:SSL"),
                Map.entry("listener.name.secure.ssl.client.auth", "required"),
                Map.entry("ssl.keystore.type", "PKCS12"),
                Map.entry("ssl.keystore.location", keystore.toString()),
                Map.entry("ssl.keystore.password", password),
                Map.entry("ssl.key.password", password),
                Map.entry("ssl.truststore.type", "PKCS12"),
                Map.entry("ssl.truststore.location", truststore.toString()),
                Map.entry("ssl.truststore.password", password)));
    }

    /**
     * A broker with two authenticated client listeners beside the test kit's plaintext one: {@code SECURE},
     * mutual TLS as in {@link #startWithMutualTls}, and {@code SCRAM}, SASL/SCRAM-SHA-512 over TLS (the same
     * broker certificate, no client certificate asked for). Users are added with {@link #addScramUser}.
     */
    public static KafkaBroker startWithMutualTlsAndScram(java.nio.file.Path keystore, java.nio.file.Path truststore,
                                                         String password) {
        return start(Map.ofEntries(
                Map.entry("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SECURE://localhost:0,"
                        + "SCRAM://localhost:0"),
                Map.entry("listener.security.protocol.map",
                        "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SECURE:SSL,SCRAM:SASL_SSL"),
                Map.entry("listener.name.secure.ssl.client.auth", "required"),
                Map.entry("sasl.enabled.mechanisms", "SCRAM-SHA-512"),
                Map.entry("listener.name.scram.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                Map.entry("ssl.keystore.type", "PKCS12"),
                Map.entry("ssl.keystore.location", keystore.toString()),
                Map.entry("ssl.keystore.password", password),
                Map.entry("ssl.key.password", password),
                Map.entry("ssl.truststore.type", "PKCS12"),
                Map.entry("ssl.truststore.location", truststore.toString()),
                Map.entry("ssl.truststore.password", password)));
    }

    /** Adds (or replaces) a SCRAM-SHA-512 user, through the plaintext admin listener. */
    public void addScramUser(String name, String password) {
        try {
            admin.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(name,
                    new org.apache.kafka.clients.admin.ScramCredentialInfo(
                            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A broker with extra broker configuration on top of the single-node defaults. */
    public static KafkaBroker start(Map<String, String> extraConfig) {
        // The broker logs every partition and segment at INFO; only its problems matter here.
        for (String name : List.of("kafka", "state.change.logger", "org.apache.kafka")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name)).setLevel(ch.qos.logback.classic.Level.WARN);
        }
        try {
            var builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    // One broker: every internal topic has one replica; groups form without the 3 s wait.
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false");
            extraConfig.forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaBroker(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Kafka broker", e);
        }
    }

    /** Host and port, e.g. {@code localhost:12345}. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Host and port of a listener the broker was started with, e.g. {@code SECURE}. */
    public String bootstrapServers(String listener) {
        return "localhost:" + cluster.brokers().values().iterator().next()
                .boundPort(new org.apache.kafka.common.network.ListenerName(listener));
    }

    /**
     * Reads {@code topic} from the start, as a new group, until {@code count} records arrived or {@code wait}
     * passed; {@code client} holds the listener's connection settings ({@code bootstrap.servers} and any
     * security properties).
     */
    public static List<ConsumerRecord<byte[], byte[]>> consume(Properties client, String topic, int count, Duration wait) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + wait.toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    /** {@link #consume(Properties, String, int, Duration)} over the broker's plaintext listener. */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int count, Duration wait) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return consume(p, topic, count, wait);
    }

    public void createTopic(String name, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends one record and waits for the broker's acknowledgement. */
    public RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public RecordMetadata send(String topic, int partition, String key, String value) {
        return send(new ProducerRecord<>(topic, partition, key == null ? null : key.getBytes(),
                value == null ? null : value.getBytes()));
    }

    public KafkaProducer<byte[], byte[]> producer() {
        return producer;
    }

    /** The offsets a consumer group committed, by partition (empty before its first commit). */
    public Map<TopicPartition, Long> committed(String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> got = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            var out = new HashMap<TopicPartition, Long>();
            got.forEach((tp, o) -> {
                if (o != null) {
                    out.put(tp, o.offset());
                }
            });
            return out;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        producer.close();
        admin.close();
        cluster.close();
    }
}
