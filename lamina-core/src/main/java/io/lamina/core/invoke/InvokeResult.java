package io.lamina.core.invoke;

import java.util.Optional;

/**
 * What Invoke answers.
 *
 * @param status        200, 202 or 204
 * @param functionError {@code X-Amz-Function-Error} ({@code Unhandled})
 * @param logResult     {@code X-Amz-Log-Result}: base64 of the last 4 KB of the invocation's log
 */
public record InvokeResult(int status, byte[] payload, Optional<String> functionError, Optional<String> logResult,
                           String executedVersion, String requestId) {
}
