package io.lamina.server;

import io.lamina.core.LaminaConfig;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Every setting once: its key (also the flag {@code --key} and, upper-cased, the variable
 * {@code LAMINA_KEY}), its default and how it goes into {@link LaminaConfig}. Sources, lowest
 * first: defaults, the config file, environment variables, flags.
 */
public final class Settings {

    /** One setting and where its value came from. */
    public record Value(String key, String value, String source, String description) {
    }

    private enum Key {
        HOST("host", "address of the public API port", c -> c.host()),
        PORT("port", "public API port (0 = any free port)", c -> Integer.toString(c.port())),
        DATA_DIR("data-dir", "embedded store, code and logs", c -> c.dataDir().toString()),
        REGION("region", "region in ARNs", LaminaConfig::region),
        ACCOUNT_ID("account-id", "account id in ARNs", LaminaConfig::accountId),
        ACCOUNT_CONCURRENCY("account-concurrency", "concurrent executions for the account",
                c -> Integer.toString(c.accountConcurrency())),
        MIN_UNRESERVED_CONCURRENCY("min-unreserved-concurrency", "executions reservations may not take",
                c -> Integer.toString(c.minimumUnreservedConcurrency())),
        IDLE_TIMEOUT("idle-timeout", "idle execution environments stop after this (ISO-8601 or seconds)",
                c -> c.environmentIdleTimeout().toString()),
        INIT_TIMEOUT("init-timeout", "longest a runtime may take to initialise", c -> c.initTimeout().toString()),
        NODE("node", "node executable for nodejs runtimes (default: node on PATH)", c -> c.nodeCommand().orElse("")),
        PYTHON("python", "python executable for python runtimes (default: python3 on PATH)",
                c -> c.pythonCommand().orElse("")),
        JAVA_HOME("java-home", "JDK for java runtimes (default: the JDK running Lamina)",
                c -> c.javaHome().map(Path::toString).orElse("")),
        ASYNC_RETRY_DELAYS("async-retry-delays", "waits before the 1st and 2nd retry of a failed async event",
                c -> String.join(",", c.async().retryDelays().stream().map(Duration::toString).toList())),
        ASYNC_CONCURRENCY("async-concurrency-per-function",
                "async events of one function run at once (without reserved concurrency)",
                c -> Integer.toString(c.async().concurrencyPerFunction())),
        ENDPOINT_SQS("endpoint-sqs", "SQS endpoint for destinations (default: the AWS SDK's, e.g. AWS_ENDPOINT_URL_SQS)",
                c -> endpoint(c, "sqs")),
        ENDPOINT_SNS("endpoint-sns", "SNS endpoint for destinations (default: the AWS SDK's)", c -> endpoint(c, "sns")),
        ENDPOINT_EVENTS("endpoint-events", "EventBridge endpoint for destinations (default: the AWS SDK's)",
                c -> endpoint(c, "events")),
        ENDPOINT_S3("endpoint-s3", "S3 endpoint for event source mappings' OnFailure buckets, addressed by path "
                + "(default: the AWS SDK's)", c -> endpoint(c, "s3")),
        RESOURCES_FILE("resources-file",
                "JSON file naming the brokers and secrets event source mappings refer to by ARN (see README)",
                c -> ""),
        ALB_LISTENERS("alb-listeners",
                "ALB listeners, each name:port:function[?option=value&...], separated by spaces (see README, ALB targets)",
                c -> String.join(" ", c.albListeners().stream().map(io.lamina.core.alb.AlbListener::spec).toList()));

        final String key;
        final String description;
        final Function<LaminaConfig, String> defaultValue;

        Key(String key, String description, Function<LaminaConfig, String> defaultValue) {
            this.key = key;
            this.description = description;
            this.defaultValue = defaultValue;
        }

        String env() {
            return "LAMINA_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        }
    }

    private final Map<Key, Value> values = new LinkedHashMap<>();

    private Settings() {
    }

    /**
     * Resolves every setting.
     *
     * @param file  optional properties file ({@code key=value}, keys as the flags)
     * @param env   environment variables
     * @param flags values given on the command line, by key
     */
    public static Settings resolve(Optional<Path> file, Map<String, String> env, Map<String, String> flags) {
        var s = new Settings();
        LaminaConfig defaults = LaminaConfig.defaults();
        Properties props = new Properties();
        if (file.isPresent()) {
            try (Reader r = Files.newBufferedReader(file.get())) {
                props.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + file.get() + ": " + e.getMessage());
            }
        }
        for (Key k : Key.values()) {
            Value v = new Value(k.key, k.defaultValue.apply(defaults), "default", k.description);
            if (props.containsKey(k.key)) {
                v = new Value(k.key, props.getProperty(k.key).trim(), "file " + file.get(), k.description);
            }
            if (env.containsKey(k.env())) {
                v = new Value(k.key, env.get(k.env()), "env " + k.env(), k.description);
            }
            if (flags.containsKey(k.key)) {
                v = new Value(k.key, flags.get(k.key), "flag --" + k.key, k.description);
            }
            s.values.put(k, v);
        }
        for (String unknown : props.stringPropertyNames()) {
            if (java.util.Arrays.stream(Key.values()).noneMatch(k -> k.key.equals(unknown))) {
                throw new IllegalArgumentException("unknown setting '" + unknown + "' in " + file.get());
            }
        }
        return s;
    }

    public java.util.Collection<Value> values() {
        return values.values();
    }

    /** The configuration these settings describe. */
    public LaminaConfig config() {
        try {
            return new LaminaConfig(
                    get(Key.HOST),
                    Integer.parseInt(get(Key.PORT)),
                    Path.of(get(Key.DATA_DIR)),
                    get(Key.REGION),
                    get(Key.ACCOUNT_ID),
                    Integer.parseInt(get(Key.ACCOUNT_CONCURRENCY)),
                    Integer.parseInt(get(Key.MIN_UNRESERVED_CONCURRENCY)),
                    duration(get(Key.IDLE_TIMEOUT)),
                    duration(get(Key.INIT_TIMEOUT)),
                    optional(get(Key.NODE)),
                    optional(get(Key.PYTHON)),
                    optional(get(Key.JAVA_HOME)).map(Path::of),
                    LaminaConfig.defaults().async()
                            .withRetryDelays(java.util.Arrays.stream(get(Key.ASYNC_RETRY_DELAYS).split(","))
                                    .map(String::trim).map(Settings::duration).toList())
                            .withConcurrencyPerFunction(Integer.parseInt(get(Key.ASYNC_CONCURRENCY))),
                    endpoints(),
                    optional(get(Key.RESOURCES_FILE)).map(f -> io.lamina.core.sources.SourceResources.read(Path.of(f)))
                            .orElse(io.lamina.core.sources.SourceResources.none()),
                    io.lamina.core.alb.AlbListener.parseAll(get(Key.ALB_LISTENERS)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage());
        }
    }

    private Map<String, URI> endpoints() {
        var out = new LinkedHashMap<String, URI>();
        for (var e : Map.of("sqs", Key.ENDPOINT_SQS, "sns", Key.ENDPOINT_SNS, "events", Key.ENDPOINT_EVENTS,
                "s3", Key.ENDPOINT_S3).entrySet()) {
            optional(get(e.getValue())).ifPresent(v -> {
                URI uri = URI.create(v);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new IllegalArgumentException(e.getValue().key + " must be a URL like http://localhost:9324: " + v);
                }
                out.put(e.getKey(), uri);
            });
        }
        return out;
    }

    private static String endpoint(LaminaConfig c, String service) {
        return c.serviceEndpoints().containsKey(service) ? c.serviceEndpoints().get(service).toString() : "";
    }

    private String get(Key k) {
        return values.get(k).value();
    }

    private static Optional<String> optional(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    static Duration duration(String s) {
        if (s.matches("[0-9]+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        if (s.matches("[0-9]+ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.matches("[0-9]+[smh]")) {
            return Duration.parse("PT" + s.toUpperCase(java.util.Locale.ROOT));
        }
        return Duration.parse(s);
    }
}
