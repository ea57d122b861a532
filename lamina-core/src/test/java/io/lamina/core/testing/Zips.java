package io.lamina.core.testing;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds function zips in memory for tests. */
public final class Zips {
    private Zips() {
    }

    /** A zip of text files; names ending in {@code bootstrap} or {@code .sh} are executable. */
    public static byte[] of(Map<String, String> files) {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new ZipArchiveOutputStream(bytes)) {
            for (var e : files.entrySet()) {
                var entry = new ZipArchiveEntry(e.getKey());
                boolean exec = e.getKey().endsWith("bootstrap") || e.getKey().endsWith(".sh");
                entry.setUnixMode(exec ? 0100755 : 0100644);
                zip.putArchiveEntry(entry);
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A provided.al2023 function whose bash bootstrap runs {@code body} per event (EVENT, REQUEST_ID set). */
    public static byte[] bashFunction(String body) {
        return of(Map.of("bootstrap", """
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
}
