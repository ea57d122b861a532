package io.lamina.core.alb;

import java.util.List;
import java.util.Map;

/**
 * What the load balancer sends back to the client: a status line, headers in order and a body.
 *
 * @param reason the status line's reason phrase
 */
public record AlbResponse(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
    public AlbResponse {
        headers = List.copyOf(headers);
    }
}
