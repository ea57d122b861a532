package io.lamina.core.urls;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request to a function URL, as the front door received it.
 *
 * @param rawPath  the path below the URL's root, still percent-encoded ({@code /} at least)
 * @param rawQuery the query string without {@code ?}, still encoded ({@code ""} when there is none)
 * @param headers  every header line in arrival order, names as sent
 */
public record UrlRequest(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                         byte[] body, String sourceIp, String protocol) {

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        for (var h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return Optional.of(h.getValue());
            }
        }
        return Optional.empty();
    }

    /** All values of a header, by case-insensitive name. */
    public List<String> headers(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return headers.stream().filter(h -> h.getKey().toLowerCase(Locale.ROOT).equals(lower))
                .map(Map.Entry::getValue).toList();
    }
}
