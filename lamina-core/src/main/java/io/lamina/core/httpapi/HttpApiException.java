package io.lamina.core.httpapi;

/** An apigatewayv2 control-API error: rendered as {@code {"message": ...}} with {@code x-amzn-ErrorType}. */
public final class HttpApiException extends RuntimeException {
    /** The error types of the apigatewayv2 model that Lamina answers with, and their statuses. */
    public enum Type {
        BadRequestException(400), NotFoundException(404), ConflictException(409);

        private final int status;

        Type(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Type type;

    public HttpApiException(Type type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public Type type() {
        return type;
    }

    static HttpApiException badRequest(String message) {
        return new HttpApiException(Type.BadRequestException, message);
    }

    static HttpApiException notFound(String message) {
        return new HttpApiException(Type.NotFoundException, message);
    }

    static HttpApiException conflict(String message) {
        return new HttpApiException(Type.ConflictException, message);
    }
}
