package io.lamina.server.api;

import io.lamina.core.errors.LambdaException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Marker / MaxItems paging. Items come sorted by a key; the marker is an opaque token holding the
 * key of the last item returned, and the next page starts after it. A marker therefore stays valid
 * when items are added or deleted between calls (the next page simply starts at the next key).
 */
final class Paging {
    /** ListFunctions and ListVersionsByFunction return at most 50 items per page, whatever MaxItems says. */
    static final int MAX_FUNCTIONS_PER_PAGE = 50;
    static final int MAX_ALIASES_PER_PAGE = 10_000;
    /** ListFunctionEventInvokeConfigs: MaxItems is 1-50 in the model, and 50 without it. */
    static final int MAX_EVENT_INVOKE_CONFIGS_PER_PAGE = 50;
    /** ListEventSourceMappings returns at most 100 items per response, whatever MaxItems says (AWS API reference). */
    static final int MAX_MAPPINGS_PER_PAGE = 100;
    /** ListFunctionUrlConfigs: MaxItems is 1-50 in the model, and 50 without it. */
    static final int MAX_URL_CONFIGS_PER_PAGE = 50;
    private static final String MARKER_PREFIX = "lamina-marker:";

    record Page<T>(List<T> items, Optional<String> nextMarker) {
    }

    private Paging() {
    }

    /** A page of {@code sorted} (ascending by {@code key}) after the input's {@code Marker}, up to {@code MaxItems}. */
    static <T> Page<T> page(List<T> sorted, Input in, int pageLimit, Function<T, String> key) {
        int max = Math.min(in.integer("MaxItems").orElse(pageLimit), pageLimit);
        int from = 0;
        Optional<String> marker = in.string("Marker");
        if (marker.isPresent()) {
            String after = decode(marker.get());
            while (from < sorted.size() && key.apply(sorted.get(from)).compareTo(after) <= 0) {
                from++;
            }
        }
        int to = Math.min(sorted.size(), from + max);
        List<T> items = sorted.subList(from, to);
        Optional<String> next = to < sorted.size() && !items.isEmpty()
                ? Optional.of(encode(key.apply(items.get(items.size() - 1)))) : Optional.empty();
        return new Page<>(items, next);
    }

    static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((MARKER_PREFIX + key).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String marker) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
            if (decoded.startsWith(MARKER_PREFIX)) {
                return decoded.substring(MARKER_PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // not base64: not one of ours
        }
        throw LambdaException.invalidParameter("Invalid Marker: " + marker);
    }
}
