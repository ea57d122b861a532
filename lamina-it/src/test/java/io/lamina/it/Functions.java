package io.lamina.it;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Function packages for the end-to-end tests, built in memory. */
public final class Functions {
    private Functions() {
    }

    /** A zip of text files; a file named {@code bootstrap} or ending in {@code .sh} is executable. */
    public static byte[] zip(Map<String, String> files) {
        var bin = new LinkedHashMap<String, byte[]>();
        files.forEach((k, v) -> bin.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return zipBytes(bin);
    }

    static byte[] zipBytes(Map<String, byte[]> files) {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipArchiveOutputStream(bytes)) {
            for (var e : files.entrySet()) {
                var entry = new ZipArchiveEntry(e.getKey());
                boolean exec = e.getKey().endsWith("bootstrap") || e.getKey().endsWith(".sh");
                entry.setUnixMode(exec ? 0100755 : 0100644);
                zip.putArchiveEntry(entry);
                zip.write(e.getValue());
                zip.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@code index.js} with the given source: handler {@code index.handler}. */
    public static byte[] node(String source) {
        return zip(Map.of("index.js", source));
    }

    /** {@code handler.py} with the given source: handler {@code handler.handler}. */
    public static byte[] python(String source) {
        return zip(Map.of("handler.py", source));
    }

    /** A provided.al2023 function: a bash {@code bootstrap} that runs {@code body} per event ($EVENT, $REQUEST_ID, $API). */
    public static byte[] bash(String body) {
        return zip(Map.of("bootstrap", """
                #!/bin/bash
                set -uo pipefail
                API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
                while true; do
                  HEADERS=$(mktemp)
                  EVENT=$(curl -sS -D "$HEADERS" "$API/invocation/next")
                  REQUEST_ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')
                  rm -f "$HEADERS"
                %s
                done
                """.formatted(body)));
    }

    /** The compiled handlers of lamina-testfunctions as a Java function zip, classes at the root. */
    public static byte[] java() {
        try {
            Path source = Path.of(io.lamina.testfunctions.ContextHandler.class.getProtectionDomain()
                    .getCodeSource().getLocation().toURI());
            var files = new LinkedHashMap<String, byte[]>();
            if (Files.isDirectory(source)) {
                try (Stream<Path> walk = Files.walk(source)) {
                    for (Path p : walk.filter(Files::isRegularFile).toList()) {
                        files.put(source.relativize(p).toString(), Files.readAllBytes(p));
                    }
                }
            } else {
                // A packaged build (mvn verify) puts the jar on the class path: unpack it so that the
                // function zip has the same layout either way.
                try (var jar = new java.util.jar.JarFile(source.toFile())) {
                    for (var e : java.util.Collections.list(jar.entries())) {
                        if (!e.isDirectory()) {
                            try (var in = jar.getInputStream(e)) {
                                files.put(e.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            }
            // Handlers taking typed events (KafkaEvent...) need aws-lambda-java-events: the runtime client
            // provides only aws-lambda-java-core, so it goes in lib/ as a deployment package carries it.
            Path events = Path.of(com.amazonaws.services.lambda.runtime.events.KafkaEvent.class.getProtectionDomain()
                    .getCodeSource().getLocation().toURI());
            files.put("lib/" + events.getFileName(), Files.readAllBytes(events));
            return zipBytes(files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
