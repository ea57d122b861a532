package io.lamina.core.alb;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as the load balancer received it.
 *
 * @param path     the path as sent (not decoded: ALB passes it on as received)
 * @param rawQuery the query string without {@code ?}, as sent; empty when there is none
 * @param headers  header names as sent, each with its values in order
 */
public record AlbRequest(String method, String path, String rawQuery, List<Map.Entry<String, List<String>>> headers,
                         byte[] body) {
    public AlbRequest {
        headers = List.copyOf(headers);
    }

    /** The first value of a header, by name in any case. */
    public Optional<String> header(String name) {
        for (var h : headers) {
            if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return Optional.of(h.getValue().getFirst());
            }
        }
        return Optional.empty();
    }
}
