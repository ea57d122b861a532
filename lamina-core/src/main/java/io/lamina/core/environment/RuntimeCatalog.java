package io.lamina.core.environment;

import io.lamina.core.LaminaConfig;
import io.lamina.core.function.FunctionVersion;
import io.lamina.core.function.RuntimeSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How each runtime starts on this host: the interpreter (resolved once), the bootstrap Lamina
 * writes for it, and the command line and environment of its process.
 */
public final class RuntimeCatalog implements RuntimeSupport {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeCatalog.class);
    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /**
     * Where the runtime client loads its JNI library from. Without it every client copies the library
     * to the fixed path /tmp/.libaws-lambda-jni.so and loads it from there, so Java environments that
     * start together overwrite the file while another maps it (SIGBUS in the dynamic loader).
     */
    static final String RIC_NATIVE_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    /** Runtime families Lamina knows how to start. */
    enum Family { NODE, PYTHON, JAVA, PROVIDED, UNAVAILABLE }

    private final Optional<Path> node;
    private final CompletableFuture<Optional<Path>> python;
    private final Path javaExecutable;
    private final Path nodeBootstrap;
    private final Path pythonBootstrap;
    private final String javaRuntimeClasspath;
    private final Optional<Path> javaRuntimeNative;

    public RuntimeCatalog(LaminaConfig config, Path runtimesDir) {
        this.node = config.nodeCommand().map(Path::of).or(() -> onPath("node"));
        // The python3 on PATH may be a version-manager shim that costs ~100 ms per start: ask it
        // once, off the start-up path, which interpreter it really runs.
        this.python = config.pythonCommand().map(p -> CompletableFuture.completedFuture(Optional.of(Path.of(p))))
                .orElseGet(() -> CompletableFuture.supplyAsync(RuntimeCatalog::resolvePython,
                        r -> Thread.ofVirtual().name("lamina-python-resolver").start(r)));
        this.javaExecutable = config.javaHome().orElse(Path.of(System.getProperty("java.home"))).resolve("bin/java");
        this.nodeBootstrap = writeResource(runtimesDir, "node/bootstrap.js");
        this.pythonBootstrap = writeResource(runtimesDir, "python/bootstrap.py");
        this.javaRuntimeClasspath = javaRuntimeClasspath();
        this.javaRuntimeNative = extractRuntimeClientNative(runtimesDir.resolve("java"));
    }

    static Family family(String runtime) {
        if (runtime.startsWith("nodejs")) {
            return Family.NODE;
        }
        if (runtime.startsWith("python")) {
            return Family.PYTHON;
        }
        if (runtime.startsWith("java")) {
            return Family.JAVA;
        }
        if (runtime.startsWith("provided")) {
            return Family.PROVIDED;
        }
        return Family.UNAVAILABLE;
    }

    @Override
    public Optional<String> unavailableReason(String runtime) {
        return switch (family(runtime)) {
            case NODE -> node.isEmpty() ? Optional.of("no node executable found on PATH")
                    : Files.isExecutable(node.get()) ? Optional.empty()
                    : Optional.of("no node executable at " + node.get());
            case PYTHON -> pythonPath().isPresent() ? Optional.empty()
                    : Optional.of("no python3 interpreter found on PATH");
            case JAVA -> Files.isExecutable(javaExecutable) ? Optional.empty() : Optional.of("no java executable at " + javaExecutable);
            case PROVIDED -> Optional.empty();
            case UNAVAILABLE -> Optional.of("Lamina does not run " + runtime + " functions on this host");
        };
    }

    /**
     * The command line of a runtime process for {@code version}, whose code is unpacked at
     * {@code taskRoot} and whose own temporary directory is {@code tmpDir}.
     */
    List<String> command(FunctionVersion version, Path taskRoot, Path tmpDir) {
        int mb = version.memorySize();
        return switch (family(version.runtime())) {
            case NODE -> List.of(node.orElseThrow().toString(), "--max-old-space-size=" + Math.max(32, mb * 9 / 10),
                    nodeBootstrap.toString());
            case PYTHON -> List.of(pythonPath().orElseThrow().toString(), "-u", pythonBootstrap.toString());
            case JAVA -> {
                var cmd = new ArrayList<String>();
                cmd.add(javaExecutable.toString());
                // The heap and code-cache shares AWS's java runtimes derive from MemorySize.
                cmd.add("-XX:MaxHeapSize=" + (mb * 1024L * 85 / 100) + "k");
                cmd.add("-XX:MaxMetaspaceSize=" + (mb * 1024L * 10 / 100) + "k");
                cmd.add("-XX:ReservedCodeCacheSize=" + (mb * 1024L * 5 / 100) + "k");
                cmd.add("-XX:+UseSerialGC");
                cmd.add("-XX:+TieredCompilation");
                cmd.add("-XX:TieredStopAtLevel=1");
                cmd.add("-Xshare:auto");
                cmd.add("-XX:-UsePerfData");
                cmd.add("-Djava.net.preferIPv4Stack=true");
                cmd.add("--enable-native-access=ALL-UNNAMED");
                cmd.add("-Djava.io.tmpdir=" + tmpDir);
                javaRuntimeNative.ifPresent(lib -> cmd.add("-D" + RIC_NATIVE_PROPERTY + "=" + lib));
                cmd.add("-cp");
                cmd.add(javaRuntimeClasspath);
                cmd.add(RIC_MAIN);
                cmd.add(version.handler());
                yield cmd;
            }
            case PROVIDED -> List.of(taskRoot.resolve("bootstrap").toString());
            case UNAVAILABLE -> throw new IllegalStateException("runtime " + version.runtime() + " cannot start here");
        };
    }

    /** Runtime-specific environment variables, added to the ones every runtime gets. */
    Map<String, String> runtimeEnvironment(FunctionVersion version, Path taskRoot) {
        var env = new LinkedHashMap<String, String>();
        switch (family(version.runtime())) {
            case NODE -> env.put("NODE_PATH", taskRoot + File.pathSeparator + taskRoot.resolve("node_modules"));
            case PYTHON -> {
                env.put("PYTHONPATH", pythonBootstrap.getParent().toString());
                env.put("LC_CTYPE", "C.UTF-8");
            }
            default -> {
            }
        }
        return env;
    }

    /**
     * Whether the process can start at all (a provided function needs an executable bootstrap), in
     * AWS's words for {@code Runtime.InvalidEntrypoint}.
     */
    Optional<String> entrypointProblem(FunctionVersion version, Path taskRoot) {
        if (family(version.runtime()) == Family.PROVIDED) {
            Path bootstrap = taskRoot.resolve("bootstrap");
            if (!Files.isRegularFile(bootstrap)) {
                return Optional.of("Couldn't find valid bootstrap(s): [" + bootstrap + "]");
            }
            if (!Files.isExecutable(bootstrap)) {
                return Optional.of("fork/exec " + bootstrap + ": permission denied");
            }
        }
        return Optional.empty();
    }

    private Optional<Path> pythonPath() {
        try {
            return python.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> onPath(String exe) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, exe))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Optional<Path> resolvePython() {
        Optional<Path> candidate = onPath("python3");
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(candidate.get().toString(), "-c", "import sys; print(sys.executable)")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() && Files.isExecutable(Path.of(out))) {
                LOG.debug("python3 resolves to {}", out);
                return Optional.of(Path.of(out));
            }
        } catch (IOException e) {
            LOG.warn("cannot run {}: {}", candidate.get(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return candidate;
    }

    private static Path writeResource(Path dir, String name) {
        String resource = "/io/lamina/runtimes/" + name;
        try (InputStream in = RuntimeCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing bootstrap resource " + resource);
            }
            byte[] content = in.readAllBytes();
            Path target = dir.resolve(name);
            Files.createDirectories(target.getParent());
            if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), content)) {
                Path tmp = Files.createTempFile(target.getParent(), "bootstrap", ".tmp");
                Files.write(tmp, content);
                Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the runtime client's JNI library for this platform once, for every Java environment to load. */
    private static Optional<Path> extractRuntimeClientNative(Path dir) {
        String arch = System.getProperty("os.arch", "");
        String name = arch.equals("aarch64") ? "libaws-lambda-jni.linux-aarch_64.so" : "libaws-lambda-jni.linux-x86_64.so";
        try {
            Class<?> client = Class.forName(RIC_MAIN, false, RuntimeCatalog.class.getClassLoader());
            try (InputStream in = client.getResourceAsStream("/jni/" + name)) {
                if (in == null) {
                    return Optional.empty();
                }
                byte[] lib = in.readAllBytes();
                Path target = dir.resolve("libaws-lambda-jni.so");
                Files.createDirectories(dir);
                if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), lib)) {
                    Path tmp = Files.createTempFile(dir, "libaws-lambda-jni", ".tmp");
                    Files.write(tmp, lib);
                    Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                return Optional.of(target);
            }
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("cannot write the Java runtime client's native library: {}", e.toString());
            return Optional.empty();
        }
    }

    /**
     * The official runtime interface client and what it needs, found where they sit on Lamina's
     * own class path (Lamina ships them): the function's classes come from LAMBDA_TASK_ROOT,
     * which the client loads itself.
     */
    private static String javaRuntimeClasspath() {
        String[] anchors = {
                RIC_MAIN,
                "com.amazonaws.services.lambda.runtime.Context",
                "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
                "software.amazon.awssdk.utilslite.SdkInternalThreadLocal"};
        var parts = new ArrayList<String>();
        for (String cls : anchors) {
            try {
                var source = Class.forName(cls, false, RuntimeCatalog.class.getClassLoader())
                        .getProtectionDomain().getCodeSource();
                String p = Path.of(source.getLocation().toURI()).toString();
                if (!parts.contains(p)) {
                    parts.add(p);
                }
            } catch (ClassNotFoundException | URISyntaxException | NullPointerException e) {
                LOG.debug("java runtime class {} not found on Lamina's class path", cls);
            }
        }
        return String.join(File.pathSeparator, parts);
    }
}
