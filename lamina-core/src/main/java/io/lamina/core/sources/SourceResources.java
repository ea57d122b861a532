package io.lamina.core.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What AWS would look up for a mapping and Lamina takes from its configuration instead: where an
 * MSK cluster or Amazon MQ broker named by ARN listens, and the Secrets Manager secrets that
 * {@code SourceAccessConfigurations} name. Read from a JSON file ({@code resources-file}):
 * <pre>{@code
 * {"brokers": {"arn:aws:kafka:...:cluster/name/id": "localhost:9092",
 *              "arn:aws:mq:...:broker:name:id": "amqp://localhost:5672"},
 *  "secrets": {"arn:aws:secretsmanager:...:secret:name": {"username": "u", "password": "p"}},
 *  "credentials": [{"accessKeyId": "AKID", "secretAccessKey": "...", "arn": "arn:aws:iam::000000000000:user/dev"}]}
 * }</pre>
 * {@code credentials} are the identities that may sign requests to AWS_IAM function URLs (IAM itself
 * is not imitated). Secret values never appear in logs or in {@link #toString()}.
 */
public final class SourceResources {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> brokers;
    private final Map<String, Map<String, String>> secrets;
    private final java.util.List<io.lamina.core.urls.SigningCredential> credentials;

    public SourceResources(Map<String, String> brokers, Map<String, Map<String, String>> secrets) {
        this(brokers, secrets, java.util.List.of());
    }

    public SourceResources(Map<String, String> brokers, Map<String, Map<String, String>> secrets,
                           java.util.List<io.lamina.core.urls.SigningCredential> credentials) {
        this.credentials = java.util.List.copyOf(credentials);
        this.brokers = Map.copyOf(brokers);
        var s = new LinkedHashMap<String, Map<String, String>>();
        secrets.forEach((k, v) -> s.put(k, Map.copyOf(v)));
        this.secrets = Map.copyOf(s);
    }

    public static SourceResources none() {
        return new SourceResources(Map.of(), Map.of());
    }

    /** Reads a resources file; a missing or malformed file is a configuration error. */
    public static SourceResources read(Path file) {
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            var brokers = new LinkedHashMap<String, String>();
            var secrets = new LinkedHashMap<String, Map<String, String>>();
            if (root.has("brokers")) {
                root.get("brokers").fields().forEachRemaining(e -> brokers.put(e.getKey(), e.getValue().asText()));
            }
            if (root.has("secrets")) {
                root.get("secrets").fields().forEachRemaining(e -> {
                    var m = new LinkedHashMap<String, String>();
                    e.getValue().fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
                    secrets.put(e.getKey(), m);
                });
            }
            var credentials = new java.util.ArrayList<io.lamina.core.urls.SigningCredential>();
            if (root.has("credentials")) {
                root.get("credentials").forEach(c -> credentials.add(new io.lamina.core.urls.SigningCredential(
                        c.path("accessKeyId").asText(null), c.path("secretAccessKey").asText(null),
                        c.path("arn").asText(null))));
            }
            return new SourceResources(brokers, secrets, credentials);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read resources file " + file + ": " + e.getMessage());
        }
    }

    /** Where the broker or cluster an ARN names listens (bootstrap servers, or an AMQP URI). */
    public Optional<String> broker(String arn) {
        return Optional.ofNullable(brokers.get(arn));
    }

    /** A secret's key/value pairs (for BASIC_AUTH and SASL: {@code username}, {@code password}). */
    public Optional<Map<String, String>> secret(String arn) {
        return Optional.ofNullable(secrets.get(arn));
    }

    /** The identities that may sign requests to AWS_IAM function URLs. */
    public java.util.List<io.lamina.core.urls.SigningCredential> credentials() {
        return credentials;
    }

    @Override
    public String toString() {
        return "SourceResources[brokers=" + brokers + ", secrets=" + secrets.keySet() + ", credentials="
                + credentials.stream().map(io.lamina.core.urls.SigningCredential::accessKeyId).toList() + "]";
    }
}
