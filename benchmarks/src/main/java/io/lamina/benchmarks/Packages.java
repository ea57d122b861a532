package io.lamina.benchmarks;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The no-op functions the benchmarks create, one per runtime family, as zip packages. */
final class Packages {
    private Packages() {
    }

    /** A function package and how to create it. */
    record Fn(String family, String runtime, String handler, byte[] zip) {
    }

    /** Same handler as the serverless-offline peer's {@code handler.js}. */
    static final String NODE = "exports.handler = async (e) => ({ ok: true });\n";
    static final String PYTHON = "def handler(event, context):\n    return {\"ok\": True}\n";
    /**
     * A provided.al2023 bootstrap in bash whose work is nothing: each invocation costs two curl
     * processes (next, response), which is what a shell function costs anywhere.
     */
    static final String BOOTSTRAP = """
            #!/bin/bash
            set -uo pipefail
            API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
            while true; do
              HEADERS=$(mktemp)
              curl -sS -o /dev/null -D "$HEADERS" "$API/invocation/next"
              REQUEST_ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | cut -d: -f2 | tr -d '[:space:]')
              rm -f "$HEADERS"
              curl -sS -o /dev/null -X POST -d '{"ok":true}' "$API/invocation/$REQUEST_ID/response"
            done
            """;
    static final String JAVA_HANDLER = "io.lamina.testfunctions.EchoHandler::handleRequest";

    /**
     * @param family  node, python, java or provided
     * @param libDir  the directory holding {@code lamina-testfunctions.jar} (for java)
     */
    static Fn of(String family, Path libDir) {
        return switch (family) {
            case "node" -> new Fn(family, "nodejs20.x", "index.handler", zip(Map.of("index.js", bytes(NODE))));
            case "python" -> new Fn(family, "python3.11", "handler.handler", zip(Map.of("handler.py", bytes(PYTHON))));
            case "provided" -> new Fn(family, "provided.al2023", "bootstrap", zip(Map.of("bootstrap", bytes(BOOTSTRAP))));
            case "java" -> new Fn(family, "java21", JAVA_HANDLER,
                    zip(Map.of("lib/lamina-testfunctions.jar", read(libDir.resolve("lamina-testfunctions.jar")))));
            default -> throw new IllegalArgumentException("unknown runtime family " + family
                    + " (node, python, java, provided)");
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + " (build the benchmarks module first)", e);
        }
    }

    /** A zip whose {@code bootstrap} is executable (unix mode 0755), the rest 0644. */
    static byte[] zip(Map<String, byte[]> files) {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipArchiveOutputStream(bytes)) {
            for (var e : new LinkedHashMap<>(files).entrySet()) {
                var entry = new ZipArchiveEntry(e.getKey());
                entry.setUnixMode(e.getKey().equals("bootstrap") ? 0100755 : 0100644);
                zip.putArchiveEntry(entry);
                zip.write(e.getValue());
                zip.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
