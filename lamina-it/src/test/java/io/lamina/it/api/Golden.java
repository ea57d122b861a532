package io.lamina.it.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Lambda API responses LocalStack's test suite recorded against real AWS
 * ({@code localstack-snapshots/test_lambda_api.snapshot.json} under the {@code lamina.golden}
 * directory; Apache-2.0, see the LICENSE next to it). Each recorded test maps keys to responses,
 * with ids replaced by placeholders such as {@code <uuid:1>}; {@link Snapshot} compares against them.
 */
final class Golden {
    static final String FILE = "localstack-snapshots/test_lambda_api.snapshot.json";
    /** The behaviour recordings (invocations, function URLs), searched when the API recordings lack a test. */
    static final String BEHAVIOUR_FILE = "localstack-snapshots/test_lambda.snapshot.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode root;
    private static JsonNode behaviour;

    private Golden() {
    }

    static synchronized JsonNode root() {
        if (root == null) {
            root = read(FILE);
        }
        return root;
    }

    static synchronized JsonNode behaviour() {
        if (behaviour == null) {
            behaviour = read(BEHAVIOUR_FILE);
        }
        return behaviour;
    }

    private static JsonNode read(String name) {
        Path dir = Path.of(System.getProperty("lamina.golden", "../testdata/golden"));
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("golden snapshot missing: " + file.toAbsolutePath()
                    + " (the lamina-it pom sets -Dlamina.golden)");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The recorded content of the one test whose id ends with {@code ::test} (class included, e.g.
     * {@code TestLambdaFunction::test_function_lifecycle}, parameters included).
     */
    static JsonNode recorded(String test) {
        List<Map.Entry<String, JsonNode>> found = root().properties().stream()
                .filter(e -> e.getKey().endsWith("::" + test)).toList();
        if (found.isEmpty()) {
            found = behaviour().properties().stream().filter(e -> e.getKey().endsWith("::" + test)).toList();
        }
        if (found.size() != 1) {
            throw new IllegalArgumentException("expected one recorded test " + test + ", found "
                    + found.stream().map(Map.Entry::getKey).toList());
        }
        return found.get(0).getValue().path("recorded-content");
    }
}
