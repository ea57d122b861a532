package io.lamina.core.function;

import java.util.Optional;

/**
 * What a {@code PutFunctionEventInvokeConfig} or {@code UpdateFunctionEventInvokeConfig} request
 * gave. Put replaces the whole configuration with it; Update changes only what is present, and
 * {@code OnSuccess} and {@code OnFailure} each on their own.
 *
 * @param destinationConfig present when the request had a {@code DestinationConfig}, even an empty one
 */
public record EventInvokeConfigChange(
        Optional<Integer> maximumRetryAttempts,
        Optional<Integer> maximumEventAgeInSeconds,
        Optional<Destinations> destinationConfig) {

    /** {@code DestinationConfig}: each member present when the request had it. */
    public record Destinations(Optional<Destination> onSuccess, Optional<Destination> onFailure) {
        public static final Destinations NONE = new Destinations(Optional.empty(), Optional.empty());
    }

    /**
     * {@code OnSuccess} or {@code OnFailure} as sent; {@code arn} is empty when it had no
     * {@code Destination} or an empty one, which removes that destination.
     */
    public record Destination(Optional<String> arn) {
        public Destination {
            arn = arn.filter(a -> !a.isEmpty());
        }

        public static Destination of(String arn) {
            return new Destination(Optional.of(arn));
        }
    }

    public boolean isEmpty() {
        return maximumRetryAttempts.isEmpty() && maximumEventAgeInSeconds.isEmpty() && destinationConfig.isEmpty();
    }
}
