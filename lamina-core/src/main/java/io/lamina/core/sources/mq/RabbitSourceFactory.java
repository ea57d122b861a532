package io.lamina.core.sources.mq;

import com.rabbitmq.client.ConnectionFactory;
import io.lamina.core.mappings.EventSourceMapping;
import io.lamina.core.sources.RecordSource;
import io.lamina.core.sources.SourceException;
import io.lamina.core.sources.SourceFactory;

import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.util.Map;

/**
 * Opens the RabbitMQ consumer of an Amazon MQ mapping. The broker ARN is looked up in the resources file
 * (AWS would ask Amazon MQ for its endpoint); {@code VIRTUAL_HOST} names the virtual host (default
 * {@code /}) and {@code BASIC_AUTH} a Secrets Manager secret with {@code username} and {@code password}
 * (https://docs.aws.amazon.com/lambda/latest/api/API_SourceAccessConfiguration.html). The credentials are
 * never put in a message or log line.
 */
public final class RabbitSourceFactory implements SourceFactory {
    static final String DEFAULT_VIRTUAL_HOST = "/";
    /** How often amqp-client tries to reconnect after losing the broker. */
    static final long RECOVERY_INTERVAL_MS = 1_000;

    @Override
    public RecordSource<?> open(EventSourceMapping mapping, Context context) {
        String arn = mapping.eventSourceArn()
                .orElseThrow(() -> new SourceException("mapping " + mapping.uuid() + " names no broker"));
        // Neither the source ARN nor the queues of a mapping can be updated: these never heal.
        if (!arn.contains(":broker:")) {
            throw RabbitFailures.configNotValid("Lamina reads Amazon MQ brokers by their broker ARN, not " + arn);
        }
        if (mapping.queues().isEmpty()) {
            throw RabbitFailures.configNotValid("mapping " + mapping.uuid() + " names no queue");
        }
        // A broker missing from Lamina's own configuration is retried, not stopped: restarting Lamina with
        // a corrected resources file mends it without the user touching the mapping.
        String uri = context.resources().broker(arn).orElseThrow(() -> new SourceException(
                "broker " + arn + " is not in Lamina's resources file (brokers: {\"" + arn + "\": \"amqp://host:5672\"})"));
        if (!uri.startsWith("amqp://") && !uri.startsWith("amqps://")) {
            throw new SourceException("broker " + arn + ": Lamina polls RabbitMQ brokers (amqp:// or amqps://) only");
        }
        String queue = mapping.queues().getFirst();
        String vhost = DEFAULT_VIRTUAL_HOST;
        var cf = new ConnectionFactory();
        try {
            cf.setUri(uri);
        } catch (URISyntaxException | GeneralSecurityException | IllegalArgumentException e) {
            // The URI may hold a password: say which broker, not what it is.
            throw new SourceException("broker " + arn + ": its address in the resources file is not an amqp(s):// URI");
        }
        for (EventSourceMapping.SourceAccess a : mapping.sourceAccessConfigurations()) {
            switch (a.type()) {
                case "VIRTUAL_HOST" -> vhost = a.uri();
                case "BASIC_AUTH" -> {
                    // A secret Lamina cannot resolve stays unresolved until the user points the mapping at
                    // another one (the resources file is read at start-up): the mapping stops.
                    Map<String, String> secret = context.resources().secret(a.uri()).orElseThrow(() ->
                            RabbitFailures.configNotValid("secret " + a.uri() + " is not in Lamina's resources file"));
                    if (!secret.containsKey("username") || !secret.containsKey("password")) {
                        throw RabbitFailures.configNotValid("secret " + a.uri() + " has no username and password");
                    }
                    cf.setUsername(secret.get("username"));
                    cf.setPassword(secret.get("password"));
                }
                default -> {
                    // Other types (e.g. VPC settings) mean nothing to a broker Lamina reaches directly.
                }
            }
        }
        cf.setVirtualHost(vhost);
        cf.setAutomaticRecoveryEnabled(true);
        cf.setTopologyRecoveryEnabled(true);
        cf.setNetworkRecoveryInterval(RECOVERY_INTERVAL_MS);
        cf.setRequestedHeartbeat(30);
        cf.setConnectionTimeout(10_000);
        // Platform threads: amqp-client blocks inside synchronized blocks, which would pin the carriers that
        // Lamina's virtual threads share. Named, and daemon so that a connection never holds the JVM up.
        cf.setThreadFactory(Thread.ofPlatform().name("rmq-" + mapping.uuid() + "-", 0).daemon(true).factory());
        return new RabbitSource(arn, cf, queue, vhost, mapping.batchSize());
    }
}
