package io.lamina.core;

import io.lamina.core.alb.AlbListener;
import io.lamina.core.async.AsyncSettings;
import io.lamina.core.sources.SourceResources;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Lamina's whole configuration. Every default is written here once ({@link #defaults()}); the
 * server fills it from flags, {@code LAMINA_*} environment variables and an optional file.
 *
 * @param host                          address of the public API port
 * @param port                          public API port (0 = ephemeral)
 * @param dataDir                       embedded store, code packages and logs
 * @param region                        region used in ARNs
 * @param accountId                     12-digit account id used in ARNs
 * @param accountConcurrency            account-wide concurrent executions (AWS default 1000)
 * @param minimumUnreservedConcurrency  unreserved executions that reservations may not take (AWS: 100)
 * @param environmentIdleTimeout        idle execution environments are stopped after this
 * @param initTimeout                   longest a runtime may take to ask for its first invocation
 * @param nodeCommand                   node interpreter; empty = first {@code node} on PATH
 * @param pythonCommand                 python interpreter; empty = the {@code python3} on PATH, resolved through shims
 * @param javaHome                      JDK for java runtimes; empty = the JDK running Lamina
 * @param async                         retries, backoff and concurrency of the async queue
 * @param serviceEndpoints              endpoint per AWS service Lamina calls ({@code sqs}, {@code sns}, {@code events});
 *                                      a service not listed uses the AWS SDK's own resolution
 *                                      ({@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL}, the shared config file)
 * @param sources                       brokers and secrets that event source mappings name by ARN
 * @param albListeners                  imitated Application Load Balancer listeners, each forwarding to a
 *                                      target group with one Lambda function as its target
 */
public record LaminaConfig(
        String host,
        int port,
        Path dataDir,
        String region,
        String accountId,
        int accountConcurrency,
        int minimumUnreservedConcurrency,
        Duration environmentIdleTimeout,
        Duration initTimeout,
        Optional<String> nodeCommand,
        Optional<String> pythonCommand,
        Optional<Path> javaHome,
        AsyncSettings async,
        Map<String, URI> serviceEndpoints,
        SourceResources sources,
        List<AlbListener> albListeners) {

    public LaminaConfig {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(async, "async");
        serviceEndpoints = Map.copyOf(serviceEndpoints);
        if (!region.matches("[a-z]{2}(-gov)?-[a-z]+-\\d")) {
            throw new IllegalArgumentException("region must look like us-east-1: " + region);
        }
        if (!accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("accountId must be 12 digits: " + accountId);
        }
        if (accountConcurrency < 1 || minimumUnreservedConcurrency < 0
                || minimumUnreservedConcurrency > accountConcurrency) {
            throw new IllegalArgumentException("need 0 <= minimumUnreservedConcurrency <= accountConcurrency, >= 1");
        }
        albListeners = List.copyOf(albListeners);
        for (AlbListener l : albListeners) {
            try {
                io.lamina.core.function.FunctionRef.parse(l.targetGroup().function(), Optional.empty(),
                        new io.lamina.core.function.Arns(region, accountId));
            } catch (io.lamina.core.errors.LambdaException e) {
                throw new IllegalArgumentException("target group " + l.targetGroup().name() + " names function '"
                        + l.targetGroup().function() + "', which is not a function of this region and account: "
                        + (e.getMessage() == null ? e.type() : e.type() + ": " + e.getMessage()));
            }
        }
    }

    public static LaminaConfig defaults() {
        return new LaminaConfig("127.0.0.1", 9000, Path.of(".lamina"), "us-east-1", "000000000000",
                1000, 100, Duration.ofMinutes(10), Duration.ofSeconds(10),
                Optional.empty(), Optional.empty(), Optional.empty(), AsyncSettings.defaults(), Map.of(),
                SourceResources.none(), List.of());
    }

    public LaminaConfig withPort(int newPort) {
        return new LaminaConfig(host, newPort, dataDir, region, accountId, accountConcurrency,
                minimumUnreservedConcurrency, environmentIdleTimeout, initTimeout, nodeCommand, pythonCommand, javaHome, async,
                serviceEndpoints, sources, albListeners);
    }

    public LaminaConfig withDataDir(Path newDataDir) {
        return new LaminaConfig(host, port, newDataDir, region, accountId, accountConcurrency,
                minimumUnreservedConcurrency, environmentIdleTimeout, initTimeout, nodeCommand, pythonCommand, javaHome, async,
                serviceEndpoints, sources, albListeners);
    }

    public LaminaConfig withConcurrency(int account, int minimumUnreserved) {
        return new LaminaConfig(host, port, dataDir, region, accountId, account, minimumUnreserved,
                environmentIdleTimeout, initTimeout, nodeCommand, pythonCommand, javaHome, async,
                serviceEndpoints, sources, albListeners);
    }

    public LaminaConfig withNodeCommand(Optional<String> node) {
        return new LaminaConfig(host, port, dataDir, region, accountId, accountConcurrency,
                minimumUnreservedConcurrency, environmentIdleTimeout, initTimeout, node, pythonCommand, javaHome, async,
                serviceEndpoints, sources, albListeners);
    }

    public LaminaConfig withEnvironmentIdleTimeout(Duration idle) {
        return new LaminaConfig(host, port, dataDir, region, accountId, accountConcurrency,
                minimumUnreservedConcurrency, idle, initTimeout, nodeCommand, pythonCommand, javaHome, async,
                serviceEndpoints, sources, albListeners);
    }

    public LaminaConfig withAsync(AsyncSettings newAsync) {
        return new LaminaConfig(host, port, dataDir, region, accountId, accountConcurrency,
                minimumUnreservedConcurrency, environmentIdleTimeout, initTimeout, nodeCommand, pythonCommand, javaHome,
                newAsync, serviceEndpoints, sources, albListeners);
    }

    public LaminaConfig withServiceEndpoints(Map<String, URI> endpoints) {
        return new LaminaConfig(host, port, dataDir, region, accountId, accountConcurrency,
                minimumUnreservedConcurrency, environmentIdleTimeout, initTimeout, nodeCommand, pythonCommand, javaHome,
                async, endpoints, sources, albListeners);
    }

    public LaminaConfig withSources(SourceResources newSources) {
        return new LaminaConfig(host, port, dataDir, region, accountId, accountConcurrency,
                minimumUnreservedConcurrency, environmentIdleTimeout, initTimeout, nodeCommand, pythonCommand, javaHome,
                async, serviceEndpoints, newSources, albListeners);
    }

    public LaminaConfig withAlbListeners(List<AlbListener> listeners) {
        return new LaminaConfig(host, port, dataDir, region, accountId, accountConcurrency,
                minimumUnreservedConcurrency, environmentIdleTimeout, initTimeout, nodeCommand, pythonCommand, javaHome,
                async, serviceEndpoints, sources, listeners);
    }
}
