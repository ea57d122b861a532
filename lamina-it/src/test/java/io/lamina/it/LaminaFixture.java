package io.lamina.it;

import io.lamina.core.LaminaConfig;
import io.lamina.server.LaminaServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Lamina server on an ephemeral port with its own data directory, and an AWS SDK v2
 * {@link LambdaClient} pointed at it (dummy credentials, no retries so errors show as they are).
 */
public final class LaminaFixture implements AutoCloseable {
    public static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";

    private final Path dataDir;
    private final LaminaServer server;
    private final LambdaClient lambda;

    private LaminaFixture(Path dataDir, LaminaConfig config, java.time.Clock clock) {
        this.dataDir = dataDir;
        this.server = LaminaServer.start(config, clock);
        this.lambda = client(server.endpoint());
    }

    public static LaminaFixture start() {
        return start(c -> c);
    }

    public static LaminaFixture start(java.util.function.UnaryOperator<LaminaConfig> customize) {
        return start(customize, java.time.Clock.systemUTC());
    }

    /** A Lamina whose clock the test controls (event ages, retry times). */
    public static LaminaFixture start(java.util.function.UnaryOperator<LaminaConfig> customize, java.time.Clock clock) {
        try {
            Path dir = Files.createTempDirectory("lamina-it");
            return new LaminaFixture(dir, customize.apply(LaminaConfig.defaults().withPort(0).withDataDir(dir)), clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Lamina on an existing data directory (restart tests). */
    public static LaminaFixture startOn(Path dataDir) {
        return startOn(dataDir, c -> c);
    }

    /** A Lamina on an existing data directory, configured as {@code customize} says (restart tests). */
    public static LaminaFixture startOn(Path dataDir, java.util.function.UnaryOperator<LaminaConfig> customize) {
        return new LaminaFixture(dataDir, customize.apply(LaminaConfig.defaults().withPort(0).withDataDir(dataDir)),
                java.time.Clock.systemUTC());
    }

    public static LambdaClient client(String endpoint) {
        return LambdaClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryPolicy(RetryPolicy.none())
                        .apiCallTimeout(Duration.ofSeconds(120))
                        .build())
                .build();
    }

    public LambdaClient lambda() {
        return lambda;
    }

    public LaminaServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String endpoint() {
        return server.endpoint();
    }

    /** Creates a function and waits until it is Active, as clients do with the SDK waiter. */
    public GetFunctionConfigurationResponse create(String name, Runtime runtime, String handler, byte[] zip) {
        return create(CreateFunctionRequest.builder().functionName(name).runtime(runtime).handler(handler).role(ROLE)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
    }

    /** Creates a function described by {@code request} (role defaults to {@link #ROLE}) and waits until it is Active. */
    public GetFunctionConfigurationResponse create(java.util.function.Consumer<CreateFunctionRequest.Builder> request) {
        CreateFunctionRequest.Builder b = CreateFunctionRequest.builder().role(ROLE);
        request.accept(b);
        return create(b);
    }

    public GetFunctionConfigurationResponse create(CreateFunctionRequest.Builder request) {
        CreateFunctionResponse created = lambda.createFunction(request.build());
        return awaitReady(created.functionName());
    }

    /**
     * Waits until a function is Active and its last update Successful, polling every 20 ms: the SDK's
     * waiter sleeps a whole second before its second look, which makes every set-up seconds long.
     */
    public GetFunctionConfigurationResponse awaitReady(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            var c = lambda.getFunctionConfiguration(GetFunctionConfigurationRequest.builder().functionName(name).build());
            if (c.state() == State.ACTIVE && c.lastUpdateStatus() == LastUpdateStatus.SUCCESSFUL) {
                return c;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not become Active: " + c.stateAsString() + "/" + c.lastUpdateStatusAsString());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        lambda.close();
        server.close();
    }
}
