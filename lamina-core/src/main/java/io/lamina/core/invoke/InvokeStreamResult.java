package io.lamina.core.invoke;

import java.util.Optional;

/**
 * How a streamed invocation ended (its body went to the {@link ResponseSink}).
 *
 * @param status          200, or 204 for DryRun
 * @param error           the function's or Lambda's error, reported after whatever was streamed
 * @param logResult       base64 of the last 4 KB of the invocation's log, when asked for (LogType Tail)
 * @param executedVersion the version that ran
 */
public record InvokeStreamResult(int status, Optional<Error> error, Optional<String> logResult, String executedVersion,
                                 String requestId) {

    /**
     * @param errorCode    the error type ({@code Sandbox.Timedout}, {@code Runtime.ExitError}, or the type the function
     *                     reported, e.g. {@code Error})
     * @param errorDetails the error message
     * @param document     the whole error document ({@code {"errorType":..,"errorMessage":..}})
     */
    public record Error(String errorCode, String errorDetails, byte[] document) {
    }
}
