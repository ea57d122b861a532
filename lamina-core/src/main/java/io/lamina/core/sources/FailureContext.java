package io.lamina.core.sources;

import java.util.Optional;

/**
 * Why a batch was given up, for the OnFailure record.
 *
 * @param condition               {@code RetryAttemptsExhausted} or {@code RecordAgeExceeded}
 * @param approximateInvokeCount  attempts made on this batch
 * @param functionError           {@code Unhandled} when the last attempt was a function error
 * @param errorType               the last error's type (a function's errorType, or a Lambda error such as a throttle)
 * @param statusCode              200 when the function ran, else the invoke error's HTTP status
 * @param timestampEpochMs        when the batch was given up
 */
public record FailureContext(String mappingArn, String functionArn, String condition, int approximateInvokeCount,
                             Optional<String> functionError, Optional<String> errorType, int statusCode,
                             String executedVersion, long timestampEpochMs) {
}
