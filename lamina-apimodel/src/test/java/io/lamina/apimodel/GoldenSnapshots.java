package io.lamina.apimodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the responses LocalStack recorded against real AWS (Apache-2.0, see the LICENSE next to them)
 * from {@code testdata/golden/localstack-snapshots} (system property {@code lamina.golden.dir}).
 * A snapshot maps {@code path::Class::test} to {@code recorded-content}, which maps a key to the
 * response, e.g. {@code {"Error": {"Code": "ValidationException", "Message": "..."},
 * "ResponseMetadata": {"HTTPStatusCode": 400}}}. Values were anonymised by LocalStack's transformers:
 * {@code arn:<partition>:}, {@code <region>}, {@code <function-name:1>}, ...
 */
final class GoldenSnapshots {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, JsonNode> FILES = new ConcurrentHashMap<>();

    /** A recorded error. */
    record RecordedError(String code, int status, String message) { }

    private GoldenSnapshots() { }

    static Path dir() {
        return Path.of(System.getProperty("lamina.golden.dir", "../testdata/golden/localstack-snapshots"));
    }

    static JsonNode file(String name) {
        return FILES.computeIfAbsent(name, n -> {
            Path p = dir().resolve(n);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("golden snapshot missing: " + p
                        + " (set -Dlamina.golden.dir to the directory holding LocalStack's lambda snapshots)");
            }
            try {
                return JSON.readTree(p.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The error recorded by the test whose id ends with {@code ::test} (parameters included, e.g.
     * {@code test_tag_exceptions[capacity_provider]}) under {@code key}.
     */
    static RecordedError error(String file, String test, String key) {
        JsonNode root = file(file);
        List<String> ids = root.properties().stream().map(Map.Entry::getKey).filter(id -> id.endsWith("::" + test)).toList();
        if (ids.size() != 1) {
            throw new IllegalArgumentException("expected one recorded test named " + test + " in " + file + ", found " + ids);
        }
        JsonNode response = root.get(ids.get(0)).path("recorded-content").path(key);
        if (response.isMissingNode()) {
            throw new IllegalArgumentException("no recorded key " + key + " in " + ids.get(0));
        }
        return new RecordedError(response.path("Error").path("Code").asText(),
                response.path("ResponseMetadata").path("HTTPStatusCode").asInt(),
                response.path("Error").path("Message").asText());
    }
}
