package io.lamina.core.alb;

/** How one request to a target ended: the function's answer, or the load balancer's own error page. */
public sealed interface AlbOutcome {
    AlbResponse response();

    /** The function answered with a well-formed response. */
    record Answered(AlbResponse response) implements AlbOutcome {
    }

    /** The load balancer answers itself: the request never reached the function or its answer is unusable. */
    record Failed(Failure failure, String detail) implements AlbOutcome {
        @Override
        public AlbResponse response() {
            return AlbErrors.page(failure.status());
        }
    }

    /** Why the load balancer answered itself, with the status ALB uses for it. */
    enum Failure {
        /** The request body is over the 1 MB that ALB sends to a Lambda target. */
        REQUEST_TOO_LARGE(413),
        /** The function's policy does not let elasticloadbalancing.amazonaws.com invoke it for this target group. */
        PERMISSION_DENIED(502),
        /** Lambda refused the invocation (missing function, throttled, inactive). */
        INVOKE_FAILED(502),
        /** The function returned an error, timed out or crashed. */
        FUNCTION_ERROR(502),
        /** The function's answer is not an ALB response. */
        MALFORMED_RESPONSE(502),
        /** The function's answer is over 1 MB. */
        RESPONSE_TOO_LARGE(502),
        /** The function did not answer within the load balancer's idle timeout. */
        IDLE_TIMEOUT(504);

        private final int status;

        Failure(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
