package io.lamina.core.alb;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The error pages an Application Load Balancer serves itself: a small HTML page, {@code Server: awselb/2.0}. */
public final class AlbErrors {
    static final String SERVER = "awselb/2.0";

    private AlbErrors() {
    }

    public static AlbResponse page(int status) {
        String line = status + " " + reason(status);
        byte[] body = ("<html>\r\n<head><title>" + line + "</title></head>\r\n<body>\r\n<center><h1>" + line
                + "</h1></center>\r\n</body>\r\n</html>\r\n").getBytes(StandardCharsets.US_ASCII);
        return new AlbResponse(status, reason(status),
                List.of(Map.entry("Server", SERVER), Map.entry("Content-Type", "text/html")), body);
    }

    /** The standard reason phrase, as ALB writes it when the function gives no {@code statusDescription}. */
    public static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-Authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Large";
            case 415 -> "Unsupported Media Type";
            case 418 -> "I'm a teapot";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Temporarily Unavailable";
            case 504 -> "Gateway Time-out";
            default -> "";
        };
    }
}
