package io.lamina.core;

import io.lamina.core.async.AsyncQueue;
import io.lamina.core.async.AsyncStore;
import io.lamina.core.concurrency.ConcurrencyLimiter;
import io.lamina.core.permissions.ResourcePolicies;
import io.lamina.core.destinations.Destinations;
import io.lamina.core.environment.EnvironmentManager;
import io.lamina.core.environment.RuntimeCatalog;
import io.lamina.core.function.Arns;
import io.lamina.core.function.FunctionRegistry;
import io.lamina.core.invoke.InvocationType;
import io.lamina.core.invoke.InvokeRequest;
import io.lamina.core.invoke.Invoker;
import io.lamina.core.logs.LogStore;
import io.lamina.core.runtimeapi.RuntimeApiServer;
import io.lamina.core.store.CodeStore;
import io.lamina.core.store.FunctionStore;
import io.lamina.core.store.MappingStore;
import io.lamina.core.mappings.MappingRegistry;
import io.lamina.core.sources.Pollers;
import io.lamina.core.sources.SourceFactories;
import io.lamina.core.sources.SourceFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One Lamina node's core: store, registry, execution environments, Runtime API and the invoker,
 * wired together. The HTTP edge (control API, Invoke) sits on top of this.
 */
public final class Lamina implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Lamina.class);
    private final LaminaConfig config;
    private final FunctionStore store;
    private final CodeStore code;
    private final LogStore logs;
    private final FunctionRegistry registry;
    private final MappingStore mappingStore;
    private final MappingRegistry mappings;
    private final io.lamina.core.store.UrlConfigStore urlStore;
    private final io.lamina.core.urls.FunctionUrls urls;
    /**
     * How long a mapping reports Creating / Updating / Deleting before it settles: long enough for a
     * client to see the transitional state in the answer, as on AWS, short enough not to be noticed.
     */
    private static final java.time.Duration MAPPING_SETTLE_DELAY = java.time.Duration.ofMillis(300);
    private final ConcurrencyLimiter limiter;
    private final EnvironmentManager environments;
    private final RuntimeApiServer runtimeApi;
    private final Invoker invoker;
    private final ExecutorService background;
    private final Destinations destinations;
    private final AsyncQueue asyncQueue;
    private final Pollers pollers;
    private final ResourcePolicies permissions;
    private final io.lamina.core.alb.AlbTargets albTargets;
    private final io.lamina.core.httpapi.HttpApis httpApis;

    public Lamina(LaminaConfig config, Clock clock) {
        this.config = config;
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
        }
        long t0 = System.nanoTime();
        this.background = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("lamina-bg-", 0).factory());
        // Opening the store (SQLite, Flyway) and starting the Runtime API (Helidon) are the two slow
        // parts of start-up and need nothing from each other: do them at the same time.
        var storeReady = new java.util.concurrent.CompletableFuture<FunctionStore>();
        var mappingStoreReady = new java.util.concurrent.CompletableFuture<MappingStore>();
        Thread.ofPlatform().name("lamina-store-open").start(() -> {
            try {
                storeReady.complete(FunctionStore.sqlite(config.dataDir().resolve("lamina.db")));
                // Same file, opened after the function store so Flyway migrates it once, not twice at a time.
                mappingStoreReady.complete(MappingStore.sqlite(config.dataDir().resolve("lamina.db")));
            } catch (RuntimeException e) {
                storeReady.completeExceptionally(e);
                mappingStoreReady.completeExceptionally(e);
            }
        });
        var asyncStoreReady = new java.util.concurrent.CompletableFuture<AsyncStore>();
        Thread.ofPlatform().name("lamina-async-open").start(() -> {
            try {
                asyncStoreReady.complete(AsyncStore.sqlite(config.dataDir().resolve("async.db")));
            } catch (RuntimeException e) {
                asyncStoreReady.completeExceptionally(e);
            }
        });
        var httpApisReady = new java.util.concurrent.CompletableFuture<io.lamina.core.httpapi.HttpApis>();
        Thread.ofPlatform().name("lamina-httpapi-open").start(() -> {
            try {
                httpApisReady.complete(new io.lamina.core.httpapi.HttpApis(
                        io.lamina.core.httpapi.HttpApiStore.sqlite(config.dataDir().resolve("httpapi.db")), clock));
            } catch (RuntimeException e) {
                httpApisReady.completeExceptionally(e);
            }
        });
        this.code = new CodeStore(config.dataDir().resolve("code"));
        this.logs = new LogStore(config.dataDir().resolve("logs"), clock);
        var runtimes = new RuntimeCatalog(config, config.dataDir().resolve("runtimes"));
        // The manager asks for the Runtime API's address only when it starts a runtime, after both exist.
        this.environments = new EnvironmentManager(config, runtimes, code, logs, clock, this::runtimeApiAddress);
        this.runtimeApi = new RuntimeApiServer(environments::byToken);
        long t1 = System.nanoTime();
        AsyncStore asyncStore;
        try {
            this.store = storeReady.join();
            this.mappingStore = mappingStoreReady.join();
            asyncStore = asyncStoreReady.join();
            this.httpApis = httpApisReady.join();
        } catch (java.util.concurrent.CompletionException e) {
            environments.close();
            runtimeApi.close();
            storeReady.thenAccept(FunctionStore::close);
            mappingStoreReady.thenAccept(MappingStore::close);
            asyncStoreReady.thenAccept(AsyncStore::close);
            httpApisReady.thenAccept(io.lamina.core.httpapi.HttpApis::close);
            throw (e.getCause() instanceof RuntimeException re) ? re : e;
        }
        long t2 = System.nanoTime();
        this.registry = new FunctionRegistry(store, code, new Arns(config.region(), config.accountId()), clock,
                background, runtimes,
                new FunctionRegistry.ConcurrencyPolicy(config.accountConcurrency(), config.minimumUnreservedConcurrency()));
        this.permissions = new ResourcePolicies(registry);
        // The function store has migrated the shared file by now (V4 holds the URL configurations).
        this.urlStore = io.lamina.core.store.UrlConfigStore.sqlite(config.dataDir().resolve("lamina.db"));
        this.urls = new io.lamina.core.urls.FunctionUrls(urlStore, registry, clock);
        registry.addListener(urls);
        this.limiter = new ConcurrencyLimiter(config.accountConcurrency(), registry::totalReservedConcurrency);
        registry.addListener(environments);
        this.mappings = new MappingRegistry(mappingStore, registry, clock, background, MAPPING_SETTLE_DELAY);
        this.invoker = new Invoker(registry, limiter, environments, clock, this::asyncQueue);
        this.destinations = Destinations.create(config.serviceEndpoints(), config.region(), this::invokeDestination);
        this.asyncQueue = new AsyncQueue(asyncStore, config.async(), clock, new AsyncBridge(registry, this::invoker),
                destinations);
        asyncQueue.start();
        var sourceContext = new SourceFactory.Context(config.region(), config.serviceEndpoints(), config.sources(), clock);
        mappings.setSourceCheck(io.lamina.core.sources.sqs.SqsSource.visibilityCheck(sourceContext));
        this.pollers = new Pollers(mappings, SourceFactories.all(), sourceContext, invoker, destinations);
        pollers.start();
        this.albTargets = new io.lamina.core.alb.AlbTargets(config.albListeners(), registry.arns(), invoker, permissions,
                clock);
        albTargets.startHealthChecks();
        long t3 = System.nanoTime();
        LOG.debug("start-up: runtimes and Runtime API {} ms, then waited {} ms for the store, registry {} ms",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
    }

    /** A function destination: the record is invoked asynchronously, as AWS does. */
    private void invokeDestination(String functionArn, byte[] record) {
        invoker.invoke(new InvokeRequest(functionArn, Optional.empty(), InvocationType.Event, record, false,
                Optional.empty(), Optional.empty()));
    }

    /** Resource-based policy checks for the front doors (API Gateway, ALB, function URLs). */
    public ResourcePolicies permissions() {
        return permissions;
    }

    /** The target groups of the configured ALB listeners, and their health. */
    public io.lamina.core.alb.AlbTargets albTargets() {
        return albTargets;
    }

    /** HTTP APIs (the apigatewayv2 control API's resources and what the data plane serves). */
    public io.lamina.core.httpapi.HttpApis httpApis() {
        return httpApis;
    }

    public Pollers pollers() {
        return pollers;
    }

    public AsyncQueue asyncQueue() {
        return asyncQueue;
    }

    private String runtimeApiAddress() {
        return runtimeApi.address();
    }

    public LaminaConfig config() {
        return config;
    }

    public FunctionRegistry registry() {
        return registry;
    }

    public MappingRegistry mappings() {
        return mappings;
    }

    /** Function URL configurations, indexed by url id for the front door. */
    public io.lamina.core.urls.FunctionUrls urls() {
        return urls;
    }

    public Invoker invoker() {
        return invoker;
    }

    public ConcurrencyLimiter limiter() {
        return limiter;
    }

    public EnvironmentManager environments() {
        return environments;
    }

    public LogStore logs() {
        return logs;
    }

    public CodeStore code() {
        return code;
    }

    @Override
    public void close() {
        albTargets.close();
        pollers.close();
        asyncQueue.close();
        destinations.close();
        environments.close();
        runtimeApi.close();
        background.shutdownNow();
        store.close();
        mappingStore.close();
        urlStore.close();
        httpApis.close();
    }
}
