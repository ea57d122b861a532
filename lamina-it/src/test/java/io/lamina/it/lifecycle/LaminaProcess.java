package io.lamina.it.lifecycle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Lamina as a separate OS process ({@code lamina serve}), for tests that kill it. */
final class LaminaProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Lamina ready on (http://\\S+)");
    private final Process process;
    private final String endpoint;

    private LaminaProcess(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static LaminaProcess start(Path dataDir) throws IOException {
        return start(dataDir, List.of());
    }

    /** With more {@code lamina serve} flags (e.g. {@code --resources-file}). */
    static LaminaProcess start(Path dataDir, List<String> flags) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.lamina.server.Main", "serve", "--port", "0",
                "--data-dir", dataDir.toString()));
        cmd.addAll(flags);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        var ready = new CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    var m = READY.matcher(line);
                    if (m.find()) {
                        ready.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                // process gone
            }
            ready.completeExceptionally(new IllegalStateException("lamina exited before it was ready"));
        });
        try {
            return new LaminaProcess(p, ready.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("lamina did not start", e);
        }
    }

    String endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    /** {@code kill -9}: no shutdown hook runs. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** {@code kill -TERM}: the clean shutdown path. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("lamina did not stop within " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
