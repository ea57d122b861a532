package io.lamina.server.cli;

import io.lamina.server.Settings;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The settings flags, shared by the commands that need a configuration. */
final class SettingsOptions {
    @Option(names = "--config", description = "properties file with settings (key=value, keys as the flags)")
    Path configFile;
    @Option(names = "--host", description = "address of the public API port (default 127.0.0.1)")
    String host;
    @Option(names = "--port", description = "public API port; 0 picks a free one (default 9000)")
    String port;
    @Option(names = "--data-dir", description = "store, code and logs (default ./.lamina)")
    String dataDir;
    @Option(names = "--region", description = "region in ARNs (default us-east-1)")
    String region;
    @Option(names = "--account-id", description = "12-digit account id in ARNs (default 000000000000)")
    String accountId;
    @Option(names = "--account-concurrency", description = "account concurrent executions (default 1000)")
    String accountConcurrency;
    @Option(names = "--min-unreserved-concurrency", description = "executions reservations may not take (default 100)")
    String minUnreserved;
    @Option(names = "--idle-timeout", description = "stop idle execution environments after this, e.g. 600 or 10m (default 10m)")
    String idleTimeout;
    @Option(names = "--init-timeout", description = "longest a runtime may take to initialise (default 10s)")
    String initTimeout;
    @Option(names = "--node", description = "node executable for nodejs runtimes")
    String node;
    @Option(names = "--python", description = "python executable for python runtimes")
    String python;
    @Option(names = "--java-home", description = "JDK for java runtimes")
    String javaHome;
    @Option(names = "--async-retry-delays", description = "waits before the 1st and 2nd retry of a failed async event (default 60s,120s)")
    String asyncRetryDelays;
    @Option(names = "--async-concurrency-per-function", description = "async events of one function run at once")
    String asyncConcurrency;
    @Option(names = "--endpoint-sqs", description = "SQS endpoint for destinations and DLQs, e.g. http://localhost:9324")
    String endpointSqs;
    @Option(names = "--endpoint-sns", description = "SNS endpoint for destinations and DLQs")
    String endpointSns;
    @Option(names = "--endpoint-events", description = "EventBridge endpoint for destinations")
    String endpointEvents;
    @Option(names = "--endpoint-s3", description = "S3 endpoint for OnFailure buckets of event source mappings, "
            + "e.g. http://localhost:8080 (path-style)")
    String endpointS3;

    @Option(names = "--resources-file", description = "JSON file of brokers and secrets that event source mappings name by ARN")
    String resourcesFile;

    @Option(names = "--alb-listeners", description = "ALB listeners forwarding to Lambda targets: "
            + "name:port:function[?option=value&...], separated by spaces (see README, ALB targets)")
    String albListeners;

    Settings resolve() {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, "host", host);
        put(flags, "port", port);
        put(flags, "data-dir", dataDir);
        put(flags, "region", region);
        put(flags, "account-id", accountId);
        put(flags, "account-concurrency", accountConcurrency);
        put(flags, "min-unreserved-concurrency", minUnreserved);
        put(flags, "idle-timeout", idleTimeout);
        put(flags, "init-timeout", initTimeout);
        put(flags, "node", node);
        put(flags, "python", python);
        put(flags, "java-home", javaHome);
        put(flags, "async-retry-delays", asyncRetryDelays);
        put(flags, "async-concurrency-per-function", asyncConcurrency);
        put(flags, "endpoint-sqs", endpointSqs);
        put(flags, "endpoint-sns", endpointSns);
        put(flags, "endpoint-events", endpointEvents);
        put(flags, "endpoint-s3", endpointS3);
        put(flags, "resources-file", resourcesFile);
        put(flags, "alb-listeners", albListeners);
        return Settings.resolve(Optional.ofNullable(configFile), System.getenv(), flags);
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
