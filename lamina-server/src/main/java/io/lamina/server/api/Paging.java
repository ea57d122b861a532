package io.lamina.server.api;

import io.lamina.core.errors.LambdaException;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Marker / MaxItems paging: the marker is the key of the last item of the previous page. */
final class Paging {
    static final int DEFAULT_MAX_ITEMS = 50;

    record Page<T>(List<T> items, Optional<String> nextMarker) {
    }

    private Paging() {
    }

    static <T> Page<T> page(List<T> all, Input in, Function<T, String> key) {
        int max = in.integer("MaxItems").orElse(DEFAULT_MAX_ITEMS);
        int from = 0;
        Optional<String> marker = in.string("Marker");
        if (marker.isPresent()) {
            from = -1;
            for (int i = 0; i < all.size(); i++) {
                if (key.apply(all.get(i)).equals(marker.get())) {
                    from = i + 1;
                    break;
                }
            }
            if (from < 0) {
                throw LambdaException.invalidParameter("Invalid Marker: " + marker.get());
            }
        }
        int to = Math.min(all.size(), from + max);
        List<T> items = all.subList(from, to);
        Optional<String> next = to < all.size() && !items.isEmpty()
                ? Optional.of(key.apply(items.get(items.size() - 1))) : Optional.empty();
        return new Page<>(items, next);
    }
}
