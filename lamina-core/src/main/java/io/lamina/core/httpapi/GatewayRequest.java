package io.lamina.core.httpapi;

import java.util.List;
import java.util.Map;

/**
 * A request to an HTTP API as the front door received it.
 *
 * @param path       the raw path below the API ({@code /_api/{apiId}} or the API's host), stage included
 * @param rawQuery   the raw query string without {@code ?}, empty when there is none
 * @param headers    the headers in the order received, names as sent, one entry per value
 * @param domainName the API's domain name as the event reports it
 */
public record GatewayRequest(String method, String path, String rawQuery, List<Map.Entry<String, String>> headers,
                             byte[] body, String sourceIp, String protocol, String domainName) {
}
