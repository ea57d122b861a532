package io.lamina.core.environment;

import io.lamina.core.LaminaConfig;
import io.lamina.core.function.FunctionListener;
import io.lamina.core.function.FunctionVersion;
import io.lamina.core.logs.LogStore;
import io.lamina.core.store.CodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Execution environments: one pool of warm environments per function version and configuration,
 * created on demand, reused most-recently-used first, reaped when idle, retired when the
 * configuration changes, and all killed on shutdown.
 */
public final class EnvironmentManager implements FunctionListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentManager.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** AWS's synchronous response limit, as the Runtime API enforces it. */
    public static final long MAX_RESPONSE_BYTES = 6_291_556L;
    /** AWS's default maximum for a streamed response (200 MB since July 2025; it was 20 MB before). */
    public static final long MAX_STREAMED_RESPONSE_BYTES = 200L * 1024 * 1024;

    private final LaminaConfig config;
    private final RuntimeCatalog runtimes;
    private final CodeStore code;
    private final LogStore logs;
    private final Clock clock;
    private final ProcessSpawner spawner;
    private final Supplier<String> runtimeApiAddress;
    /** Each environment's own temporary directory ({@code TMPDIR}, Java's {@code java.io.tmpdir}), like Lambda's /tmp. */
    private final Path tmpRoot;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    /** The pool last used per function version, checked by record identity to skip building the key. */
    private final Map<String, Pool> recentPools = new ConcurrentHashMap<>();
    private final Map<String, ExecutionEnvironment> byToken = new ConcurrentHashMap<>();
    private final Thread reaper;
    private volatile boolean closed;

    public EnvironmentManager(LaminaConfig config, RuntimeCatalog runtimes, CodeStore code, LogStore logs, Clock clock,
                              Supplier<String> runtimeApiAddress) {
        this.config = config;
        this.runtimes = runtimes;
        this.code = code;
        this.logs = logs;
        this.clock = clock;
        this.runtimeApiAddress = runtimeApiAddress;
        String owner = HexFormat.of().formatHex(sha256(config.dataDir().toAbsolutePath().normalize().toString()));
        OrphanSweeper.sweep(owner);
        this.tmpRoot = config.dataDir().resolve("tmp");
        deleteQuietly(tmpRoot); // what environments of a previous run left
        this.spawner = new ProcessSpawner(owner);
        Duration idle = config.environmentIdleTimeout();
        long period = Math.max(50, Math.min(idle.toMillis() / 2, 30_000));
        this.reaper = Thread.ofVirtual().name("lamina-reaper").start(() -> reapLoop(period));
    }

    /** The environment a Runtime API call names by its token. */
    public Optional<ExecutionEnvironment> byToken(String token) {
        return Optional.ofNullable(byToken.get(token));
    }

    /** An environment for {@code version}: a warm one if there is one, else a new one starting up. */
    public ExecutionEnvironment acquire(FunctionVersion version) {
        if (closed) {
            throw new IllegalStateException("Lamina is shutting down");
        }
        Pool pool = poolFor(version);
        Optional<ExecutionEnvironment> warm = pool.takeIdle();
        if (warm.isPresent()) {
            return warm.get();
        }
        return start(version, pool);
    }

    private Pool poolFor(FunctionVersion version) {
        String ref = version.functionName() + ':' + version.version();
        Pool recent = recentPools.get(ref);
        if (recent != null && recent.config == version && !recent.isRetired()) {
            return recent;
        }
        Pool pool = pools.computeIfAbsent(executionKey(version), k -> new Pool(version));
        recentPools.put(ref, pool);
        return pool;
    }

    /** Returns an environment after an invocation; a dead one, or one of a retired pool, is dropped. */
    public void release(ExecutionEnvironment env, boolean reusable) {
        Pool pool = env.pool;
        if (reusable && !closed && env.isAlive() && pool != null && pool.offer(env)) {
            return;
        }
        discard(env);
    }

    /** Runs an invocation in {@code env} (see {@link ExecutionEnvironment#invoke}). */
    public ExecutionEnvironment.Run run(ExecutionEnvironment env, Invocation inv) {
        int timeout = env.version().timeout();
        long initWait = config.initTimeout().toMillis() + timeout * 1000L;
        return env.invoke(inv, initWait, timeout);
    }

    /** How many environments exist (idle or busy) for a function; for tests and status. */
    public int environmentCount(String functionName) {
        return (int) byToken.values().stream().filter(e -> e.version().functionName().equals(functionName)).count();
    }

    public int idleCount(String functionName) {
        return pools.values().stream().filter(p -> p.function.equals(functionName)).mapToInt(Pool::idleSize).sum();
    }

    /** Process ids of all runtime processes, for tests that check nothing is left behind. */
    public List<Long> processIds() {
        var out = new ArrayList<Long>();
        for (var env : byToken.values()) {
            env.process().ifPresent(p -> out.add(p.pid()));
        }
        return out;
    }

    private ExecutionEnvironment start(FunctionVersion version, Pool pool) {
        String id = randomHex(16);
        String token = randomHex(16);
        var log = logs.open(version.logGroup(), version.version(), id);
        var env = new ExecutionEnvironment(id, token, version, log, clock, MAX_RESPONSE_BYTES);
        env.pool = pool;
        byToken.put(token, env);
        Path taskRoot = code.taskRoot(version.codeKey());
        Optional<String> problem = runtimes.entrypointProblem(version, taskRoot);
        if (problem.isPresent()) {
            env.invalidEntrypoint(problem.get());
            return env;
        }
        try {
            Path tmp = Files.createDirectories(tmpRoot.resolve(id));
            var environment = environment(version, taskRoot, env, token);
            environment.put("TMPDIR", tmp.toString());
            Process p = spawner.spawn(runtimes.command(version, taskRoot, tmp), environment, taskRoot, log.file());
            env.attach(p);
        } catch (IOException e) {
            LOG.debug("cannot start runtime for {}: {}", version.functionName(), e.getMessage());
            log.append(e.getMessage() + "\n");
            // The process never ran: the invocation sees Runtime.ExitError, like a runtime whose exec failed.
            env.startFailed();
        }
        return env;
    }

    private Map<String, String> environment(FunctionVersion v, Path taskRoot, ExecutionEnvironment env, String token) {
        var e = new LinkedHashMap<String, String>();
        e.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        e.put("LANG", "en_US.UTF-8");
        e.put("TZ", ":UTC");
        e.put("LD_LIBRARY_PATH", taskRoot + ":" + taskRoot.resolve("lib"));
        e.put("HOME", System.getProperty("java.io.tmpdir"));
        v.environment().ifPresent(e::putAll);
        e.put("_HANDLER", v.handler());
        e.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        e.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
        e.put("AWS_LAMBDA_RUNTIME_API", runtimeApiAddress.get() + "/" + token);
        e.put("AWS_LAMBDA_FUNCTION_NAME", v.functionName());
        e.put("AWS_LAMBDA_FUNCTION_VERSION", v.version());
        e.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(v.memorySize()));
        e.put("AWS_LAMBDA_LOG_GROUP_NAME", v.logGroup());
        e.put("AWS_LAMBDA_LOG_STREAM_NAME", env.log().name());
        e.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        // Lambda hands functions their role's credentials; Lamina has no STS, so it passes on its own, if any.
        for (String k : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")) {
            String value = System.getenv(k);
            if (value != null) {
                e.put(k, value);
            }
        }
        e.put("AWS_REGION", config.region());
        e.put("AWS_DEFAULT_REGION", config.region());
        if (RuntimeCatalog.family(v.runtime()) != RuntimeCatalog.Family.PROVIDED) {
            // AWS sets it for managed runtimes only; OS-only (provided.*) functions do not get it.
            e.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + v.runtime());
        }
        e.putAll(runtimes.runtimeEnvironment(v, taskRoot));
        return e;
    }

    @Override
    public void latestChanged(String functionName) {
        retire(functionName, Optional.of(FunctionVersion.LATEST));
    }

    @Override
    public void versionDeleted(String functionName, String version) {
        retire(functionName, Optional.of(version));
    }

    @Override
    public void functionDeleted(String functionName) {
        retire(functionName, Optional.empty());
    }

    private void retire(String functionName, Optional<String> version) {
        pools.entrySet().removeIf(entry -> {
            Pool p = entry.getValue();
            if (p.function.equals(functionName) && version.map(p.version::equals).orElse(true)) {
                p.retire().forEach(this::discard);
                return true;
            }
            return false;
        });
        recentPools.values().removeIf(Pool::isRetired);
    }

    private void discard(ExecutionEnvironment env) {
        byToken.remove(env.token());
        env.kill();
        env.closeFiles();
        env.log().close();
        deleteQuietly(tmpRoot.resolve(env.id()));
    }

    /** Removes a directory tree, ignoring what cannot be removed (the runtime may still be exiting). */
    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the next start's sweep
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // left for the next start's sweep
        }
    }

    private void reapLoop(long periodMs) {
        while (!closed) {
            try {
                Thread.sleep(periodMs);
            } catch (InterruptedException e) {
                return;
            }
            long cutoff = clock.millis() - config.environmentIdleTimeout().toMillis();
            for (Pool p : pools.values()) {
                p.takeIdleOlderThan(cutoff).forEach(this::discard);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        reaper.interrupt();
        for (Pool p : pools.values()) {
            p.retire();
        }
        pools.clear();
        var all = new ArrayList<>(byToken.values());
        all.forEach(this::discard);
        for (var env : all) {
            env.process().ifPresent(p -> {
                try {
                    p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("runtime process {} did not exit", p.pid());
                }
            });
        }
        spawner.close();
    }

    /** Environments of one version with one configuration; any configuration change makes a new pool. */
    static String executionKey(FunctionVersion v) {
        return String.join("\u0000", v.functionName(), v.version(), v.codeKey(), v.runtime(), v.handler(),
                Integer.toString(v.memorySize()), Integer.toString(v.timeout()), String.valueOf(v.environment()),
                v.logGroup(), v.logFormat(), String.valueOf(v.architectures()), Integer.toString(v.ephemeralStorageSize()));
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static byte[] sha256(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Idle environments of one configuration, most recently used on top. */
    static final class Pool {
        private final String function;
        private final String version;
        /** The configuration record this pool was made for (identity matters: see poolFor). */
        private final FunctionVersion config;
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<ExecutionEnvironment> idle = new ArrayDeque<>();
        private volatile boolean retired;

        Pool(FunctionVersion config) {
            this.function = config.functionName();
            this.version = config.version();
            this.config = config;
        }

        boolean isRetired() {
            return retired;
        }

        Optional<ExecutionEnvironment> takeIdle() {
            lock.lock();
            try {
                while (!idle.isEmpty()) {
                    ExecutionEnvironment e = idle.pollFirst();
                    if (e.isAlive()) {
                        return Optional.of(e);
                    }
                }
                return Optional.empty();
            } finally {
                lock.unlock();
            }
        }

        boolean offer(ExecutionEnvironment env) {
            lock.lock();
            try {
                if (retired) {
                    return false;
                }
                idle.addFirst(env);
                return true;
            } finally {
                lock.unlock();
            }
        }

        int idleSize() {
            lock.lock();
            try {
                return idle.size();
            } finally {
                lock.unlock();
            }
        }

        List<ExecutionEnvironment> takeIdleOlderThan(long cutoffMillis) {
            lock.lock();
            try {
                var out = new ArrayList<ExecutionEnvironment>();
                idle.removeIf(e -> {
                    if (e.lastUsedMillis() < cutoffMillis || !e.isAlive()) {
                        out.add(e);
                        return true;
                    }
                    return false;
                });
                return out;
            } finally {
                lock.unlock();
            }
        }

        List<ExecutionEnvironment> retire() {
            lock.lock();
            try {
                retired = true;
                var out = new ArrayList<>(idle);
                idle.clear();
                return out;
            } finally {
                lock.unlock();
            }
        }
    }
}
