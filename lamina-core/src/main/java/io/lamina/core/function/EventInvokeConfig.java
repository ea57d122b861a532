package io.lamina.core.function;

import java.util.Optional;

/**
 * How asynchronous invocations of one qualifier are retried and where their outcomes go
 * ({@code PutFunctionEventInvokeConfig}). Empty members take AWS's defaults: 2 retries, 6 hours.
 *
 * @param onSuccess            destination ARN for successful invocations
 * @param onFailure            destination ARN for events that exhausted retries or expired
 * @param lastModifiedEpochMs  when the configuration was last put or updated
 */
public record EventInvokeConfig(
        Optional<Integer> maximumRetryAttempts,
        Optional<Integer> maximumEventAgeInSeconds,
        Optional<String> onSuccess,
        Optional<String> onFailure,
        long lastModifiedEpochMs) {

    public static final int DEFAULT_RETRY_ATTEMPTS = 2;
    public static final int DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;

    public EventInvokeConfig {
        // stored documents may carry nulls for members that were never set
        maximumRetryAttempts = maximumRetryAttempts == null ? Optional.empty() : maximumRetryAttempts;
        maximumEventAgeInSeconds = maximumEventAgeInSeconds == null ? Optional.empty() : maximumEventAgeInSeconds;
        onSuccess = onSuccess == null ? Optional.empty() : onSuccess;
        onFailure = onFailure == null ? Optional.empty() : onFailure;
    }

    public static final EventInvokeConfig DEFAULTS = new EventInvokeConfig(
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);

    public int retryAttempts() {
        return maximumRetryAttempts.orElse(DEFAULT_RETRY_ATTEMPTS);
    }

    public int maximumEventAgeSeconds() {
        return maximumEventAgeInSeconds.orElse(DEFAULT_MAXIMUM_EVENT_AGE_SECONDS);
    }
}
