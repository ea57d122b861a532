package io.lamina.runtimes;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.runtimes.FakeRuntimeApi.Posted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared plumbing: a {@link FakeRuntimeApi}, a task root with the test's handler files, and the real interpreter
 * running the bootstrap exactly as Lamina does (the bootstrap is read from the classpath and written to disk).
 */
abstract class BootstrapTestSupport {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String FUNCTION_NAME = "my-function";
    static final String LOG_GROUP = "/aws/lambda/my-function";
    static final String LOG_STREAM = "2024/01/01/[$LATEST]0123456789abcdef";

    @TempDir
    Path tmp;
    Path taskRoot;
    Path bootstrap;
    FakeRuntimeApi api;
    RuntimeProcess runtime;

    /** Classpath resource of the bootstrap under test. */
    abstract String bootstrapResource();

    abstract String bootstrapFileName();

    abstract List<String> command(Path bootstrap);

    abstract String executionEnv();

    @BeforeEach
    void setUpRuntimeApi() throws IOException {
        api = new FakeRuntimeApi();
        taskRoot = Files.createDirectories(tmp.resolve("task"));
        Path runtimeDir = Files.createDirectories(tmp.resolve("runtime"));
        bootstrap = runtimeDir.resolve(bootstrapFileName());
        try (InputStream in = BootstrapTestSupport.class.getResourceAsStream(bootstrapResource())) {
            assertThat(in).as("classpath resource " + bootstrapResource()).isNotNull();
            Files.write(bootstrap, in.readAllBytes());
        }
    }

    @AfterEach
    void tearDown() {
        if (runtime != null) runtime.close();
        api.close();
    }

    void write(String relativePath, String content) {
        try {
            Path file = taskRoot.resolve(relativePath);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RuntimeProcess start(String handler) {
        return start(handler, Map.of());
    }

    RuntimeProcess start(String handler, Map<String, String> extraEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("TZ", ":UTC");
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("_HANDLER", handler);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("AWS_LAMBDA_FUNCTION_NAME", FUNCTION_NAME);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", LOG_GROUP);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LOG_STREAM);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_EXECUTION_ENV", executionEnv());
        env.putAll(extraEnv);
        runtime = RuntimeProcess.start(command(bootstrap), taskRoot, env);
        return runtime;
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("timed out / failed waiting for the runtime", e);
        }
    }

    /** Waits for a posted response and fails with the runtime's output if something else happened. */
    FakeRuntimeApi.Posted awaitPosted(CompletableFuture<FakeRuntimeApi.Posted> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer from the runtime; stdout:\n" + runtime.stdout()
                    + "\nstderr:\n" + runtime.stderr() + "\nunexpected requests: " + api.unexpectedRequests(), e);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    /** A spawned bootstrap with its stdout/stderr captured byte for byte. */
    static final class RuntimeProcess implements AutoCloseable {
        final Process process;
        final long startedAtNanos;
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        private RuntimeProcess(Process process, long startedAtNanos) {
            this.process = process;
            this.startedAtNanos = startedAtNanos;
            pump(process.getInputStream(), stdout);
            pump(process.getErrorStream(), stderr);
        }

        static RuntimeProcess start(List<String> command, Path workDir, Map<String, String> env) {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            try {
                long now = System.nanoTime();
                return new RuntimeProcess(builder.start(), now);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void pump(InputStream in, ByteArrayOutputStream sink) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        synchronized (sink) {
                            sink.write(buf, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            }, "runtime-output");
            t.setDaemon(true);
            t.start();
        }

        String stdout() {
            synchronized (stdout) {
                return stdout.toString(StandardCharsets.UTF_8);
            }
        }

        String stderr() {
            synchronized (stderr) {
                return stderr.toString(StandardCharsets.UTF_8);
            }
        }

        /** stdout split on '\n' only (so a '\r' inside a record stays inside its line). */
        List<String> stdoutLines() {
            return Arrays.asList(stdout().split("\n", -1));
        }

        /** Waits until stdout has a line matching the predicate; returns that line. */
        String awaitStdoutLine(Predicate<String> matching) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : stdoutLines()) {
                    if (matching.test(line)) return line;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw new AssertionError("no matching stdout line; stdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }

        int awaitExit() {
            try {
                if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("runtime did not exit; stdout:\n" + stdout() + "\nstderr:\n" + stderr());
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static JsonNode json(String text) {
        try {
            return FakeRuntimeApi.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String requestIdOf(Posted posted) {
        String path = posted.path();
        String afterInvocation = path.substring(path.indexOf("/invocation/") + "/invocation/".length());
        return afterInvocation.substring(0, afterInvocation.indexOf('/'));
    }
}
