package io.lamina.core.sources.kafka;

import io.lamina.core.mappings.EventSourceMapping;
import io.lamina.core.mappings.SourceKind;
import io.lamina.core.sources.RecordSource;
import io.lamina.core.sources.SourceException;
import io.lamina.core.sources.SourceFactory;
import io.lamina.core.sources.SourceResources;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Opens a mapping's Kafka consumer: self-managed clusters by their {@code KAFKA_BOOTSTRAP_SERVERS}, MSK
 * clusters by ARN through the resources file ({@code brokers}), with authentication and TLS taken from
 * the mapping's {@code SourceAccessConfigurations} and the secrets they name (resources file
 * {@code secrets}; https://docs.aws.amazon.com/lambda/latest/api/API_SourceAccessConfiguration.html):
 * <ul>
 *   <li>{@code BASIC_AUTH}: SASL/PLAIN; {@code SASL_SCRAM_256_AUTH}, {@code SASL_SCRAM_512_AUTH}: SASL/SCRAM,
 *       each with the secret's {@code username} and {@code password}, always over TLS: Lambda
 *       supports SASL only as SASL_SSL (https://docs.aws.amazon.com/lambda/latest/dg/kafka-cluster-auth.html).</li>
 *   <li>{@code CLIENT_CERTIFICATE_TLS_AUTH}: mutual TLS with the secret's {@code certificate} chain,
 *       {@code privateKey} (PKCS #8, optionally PBES1-encrypted with {@code privateKeyPassword}), checked
 *       by {@link ClientCertificate} so that an unusable secret is reported as AWS reports it.</li>
 *   <li>{@code SERVER_ROOT_CA_CERTIFICATE}: the secret's {@code certificate} (PEM) is the only trusted root;
 *       alone it means TLS without client authentication.</li>
 *   <li>{@code VPC_SUBNET}, {@code VPC_SECURITY_GROUP}: network placement, which Lamina has no use for; with
 *       nothing else the connection is plaintext.</li>
 * </ul>
 */
public final class KafkaSourceFactory implements SourceFactory {
    /**
     * A batch may be retried in place for a long time without polling; Lambda's longest function timeout
     * (15 minutes) keeps one attempt within the interval. Longer retries make the group drop the member,
     * whose records are then read again from the last commit: still at least once.
     */
    static final int MAX_POLL_INTERVAL_MS = 15 * 60 * 1000;
    /** How soon a crashed Lamina's consumer leaves the group, so a restarted one gets its partitions. */
    static final int SESSION_TIMEOUT_MS = 10_000;

    @Override
    public RecordSource<?> open(EventSourceMapping mapping, Context context) {
        Properties props = properties(mapping, context.resources());
        KafkaEvents.Origin origin = origin(mapping, props.getProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
        KafkaSource.Start start = start(mapping);
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {
            // The secrets were checked above; whatever Kafka still refuses is reported with its reasons.
            throw new SourceException("cannot create a Kafka consumer for " + origin.bootstrapServers() + ": "
                    + causes(e), e);
        }
        try {
            Properties producerProps = producerProperties(props, mapping.uuid());
            return new KafkaSource(consumer, mapping.topics(), origin, start, mapping.uuid(),
                    () -> new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer()));
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /**
     * For a {@code kafka://} OnFailure topic, which AWS requires on the source's own cluster: the consumer's
     * servers, encryption and authentication, and a write acknowledged by every in-sync replica.
     */
    static Properties producerProperties(Properties consumer, String mappingUuid) {
        Properties p = new Properties();
        consumer.stringPropertyNames().stream()
                .filter(k -> k.equals(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) || k.equals("security.protocol")
                        || k.startsWith("sasl.") || k.startsWith("ssl."))
                .forEach(k -> p.setProperty(k, consumer.getProperty(k)));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "lamina-" + mappingUuid + "-onfailure");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Bounded, so that an unreachable cluster fails the delivery and the poller tries again later.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "25000");
        return p;
    }

    /** Kafka wraps the reason a consumer cannot be made ("Failed to construct kafka consumer"); say all of it. */
    private static String causes(Throwable e) {
        var out = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            out.append(": ").append(t.getMessage());
        }
        return out.toString();
    }

    static KafkaEvents.Origin origin(EventSourceMapping m, String bootstrapServers) {
        return m.kind() == SourceKind.MSK
                ? KafkaEvents.Origin.msk(m.eventSourceArn().orElseThrow(), bootstrapServers)
                : KafkaEvents.Origin.selfManaged(bootstrapServers);
    }

    static KafkaSource.Start start(EventSourceMapping m) {
        return switch (m.startingPosition().orElse("LATEST")) {
            case "TRIM_HORIZON" -> new KafkaSource.Start.TrimHorizon();
            case "AT_TIMESTAMP" -> new KafkaSource.Start.AtTimestamp(
                    Math.round(m.startingPositionTimestamp().orElse(0.0) * 1000));
            default -> new KafkaSource.Start.Latest();
        };
    }

    /** The consumer's configuration; secret values go into it and nowhere else. */
    static Properties properties(EventSourceMapping m, SourceResources resources) {
        String servers;
        if (m.kind() == SourceKind.MSK) {
            String arn = m.eventSourceArn().orElseThrow();
            servers = resources.broker(arn).orElseThrow(() -> new SourceException(
                    "no bootstrap servers configured for MSK cluster " + arn + " (resources file: brokers)"));
        } else {
            servers = String.join(",", m.kafkaBootstrapServers());
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, m.consumerGroupId().orElse(m.uuid()));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "lamina-" + m.uuid());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Only used when a committed offset is out of range; fresh partitions are positioned explicitly.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                m.startingPosition().filter("LATEST"::equals).isPresent() ? "latest" : "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(m.batchSize()));
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString(MAX_POLL_INTERVAL_MS));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(SESSION_TIMEOUT_MS));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(SESSION_TIMEOUT_MS / 3));
        // A record batch the poller is gathering should not wait on the broker's own fetch batching.
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        security(m.sourceAccessConfigurations(), resources, p);
        return p;
    }

    private static void security(List<EventSourceMapping.SourceAccess> access, SourceResources resources, Properties p) {
        String sasl = null;
        Map<String, String> saslSecret = null;
        boolean tls = false;
        for (EventSourceMapping.SourceAccess a : access) {
            switch (a.type()) {
                case "BASIC_AUTH" -> {
                    sasl = "PLAIN";
                    saslSecret = secret(resources, a);
                }
                case "SASL_SCRAM_256_AUTH" -> {
                    sasl = "SCRAM-SHA-256";
                    saslSecret = secret(resources, a);
                }
                case "SASL_SCRAM_512_AUTH" -> {
                    sasl = "SCRAM-SHA-512";
                    saslSecret = secret(resources, a);
                }
                case "CLIENT_CERTIFICATE_TLS_AUTH" -> {
                    Map<String, String> s = secret(resources, a);
                    tls = true;
                    ClientCertificate cert = ClientCertificate.of(required(s, "certificate", a),
                            required(s, "privateKey", a), Optional.ofNullable(s.get("privateKeyPassword")));
                    p.put("ssl.keystore.type", "PEM");
                    p.put("ssl.keystore.certificate.chain", cert.chainPem());
                    p.put("ssl.keystore.key", cert.keyPem());
                    cert.keyPassword().ifPresent(pw -> p.put("ssl.key.password", pw));
                }
                case "SERVER_ROOT_CA_CERTIFICATE" -> {
                    Map<String, String> s = secret(resources, a);
                    tls = true;
                    p.put("ssl.truststore.type", "PEM");
                    p.put("ssl.truststore.certificates", ClientCertificate.rootCertificates(required(s, "certificate", a)));
                }
                default -> {
                    // VPC_SUBNET, VPC_SECURITY_GROUP: nothing to configure on the client.
                }
            }
        }
        if (sasl != null) {
            p.put("security.protocol", "SASL_SSL");
            p.put("sasl.mechanism", sasl);
            String module = sasl.equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(required(saslSecret, "username", null))
                    + "\" password=\"" + jaasEscape(required(saslSecret, "password", null)) + "\";");
        } else if (tls) {
            p.put("security.protocol", "SSL");
        }
    }

    private static Map<String, String> secret(SourceResources resources, EventSourceMapping.SourceAccess a) {
        return resources.secret(a.uri()).orElseThrow(() -> new SourceException(
                "secret " + a.uri() + " for " + a.type() + " is not configured (resources file: secrets)"));
    }

    private static String required(Map<String, String> secret, String key, EventSourceMapping.SourceAccess a) {
        String v = secret.get(key);
        if (v == null || v.isEmpty()) {
            throw new SourceException("the secret" + (a == null ? "" : " " + a.uri()) + " has no '" + key + "'");
        }
        return v;
    }

    private static String jaasEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
