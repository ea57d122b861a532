package io.lamina.core.urls;

import java.util.List;
import java.util.Map;

/**
 * What a function URL answers its caller: status, headers in order (a name may repeat), the
 * {@code Set-Cookie} values, and the body bytes.
 */
public record UrlResponse(int status, List<Map.Entry<String, String>> headers, List<String> cookies, byte[] body) {
}
