package io.lamina.core.mappings;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One event source mapping as stored and reported: AWS's {@code EventSourceMappingConfiguration}.
 * Members a source kind does not use are empty, so the API leaves them out as AWS does.
 * {@code filterPatterns} keeps each pattern as the caller's JSON string.
 */
public record EventSourceMapping(
        String uuid,
        String functionArn,
        SourceKind kind,
        Optional<String> eventSourceArn,
        List<String> kafkaBootstrapServers,
        int batchSize,
        Optional<Integer> maximumBatchingWindowInSeconds,
        Optional<String> startingPosition,
        Optional<Double> startingPositionTimestamp,
        List<String> filterPatterns,
        Optional<String> onFailureDestination,
        List<String> topics,
        List<String> queues,
        List<SourceAccess> sourceAccessConfigurations,
        Optional<String> consumerGroupId,
        Optional<Integer> maximumConcurrency,
        List<String> functionResponseTypes,
        Optional<Integer> maximumRetryAttempts,
        Optional<Integer> maximumRecordAgeInSeconds,
        Optional<Boolean> bisectBatchOnFunctionError,
        Optional<Integer> parallelizationFactor,
        Optional<Integer> tumblingWindowInSeconds,
        boolean enabled,
        long lastModifiedEpochMs,
        MappingState state,
        String stateTransitionReason,
        String lastProcessingResult,
        String eventSourceMappingArn,
        Map<String, String> tags) {

    /** {@code SourceAccessConfiguration}: how to reach or authenticate to the source. */
    public record SourceAccess(String type, String uri) {
    }

    public EventSourceMapping {
        kafkaBootstrapServers = List.copyOf(kafkaBootstrapServers);
        filterPatterns = List.copyOf(filterPatterns);
        topics = List.copyOf(topics);
        queues = List.copyOf(queues);
        sourceAccessConfigurations = List.copyOf(sourceAccessConfigurations);
        functionResponseTypes = List.copyOf(functionResponseTypes);
        tags = Map.copyOf(tags);
    }

    /**
     * How long a poller gathers records before invoking: the configured window, else AWS's default of
     * 0 for streams and SQS and 500 ms for Kafka, Amazon MQ and DocumentDB, which the API does not report
     * (https://docs.aws.amazon.com/lambda/latest/dg/API_EventSourceMappingConfiguration.html).
     */
    public java.time.Duration batchingWindow() {
        return maximumBatchingWindowInSeconds().map(s -> java.time.Duration.ofSeconds(s)).orElse(
                kind.stream() || kind == SourceKind.SQS ? java.time.Duration.ZERO : java.time.Duration.ofMillis(500));
    }

    /** An SQS FIFO queue (its name ends in {@code .fifo}): at most 10 per batch, no batching window. */
    public boolean fifoQueue() {
        return kind == SourceKind.SQS && eventSourceArn.filter(a -> a.endsWith(".fifo")).isPresent();
    }

    public EventSourceMapping withTags(Map<String, String> next) {
        return copy(enabled, state, stateTransitionReason, lastProcessingResult, next);
    }

    public EventSourceMapping withLastProcessingResult(String result) {
        return copy(enabled, state, stateTransitionReason, result, tags);
    }

    /** The same mapping in state {@code next}; refused unless the state machine allows the move. */
    public EventSourceMapping withState(MappingState next) {
        return copy(enabled, state.moveTo(next), stateTransitionReason, lastProcessingResult, tags);
    }

    /**
     * Lambda's own stop: Disabling (settling in Disabled), Enabled false and {@code reason} as the
     * StateTransitionReason; refused unless the state machine allows the move.
     */
    public EventSourceMapping withStop(StopReason reason) {
        return copy(false, state.moveTo(MappingState.Disabling), reason.name(), lastProcessingResult, tags);
    }

    /** This mapping with the members that change without a new configuration replaced. */
    private EventSourceMapping copy(boolean newEnabled, MappingState newState, String newReason, String newResult,
                                    Map<String, String> newTags) {
        return new EventSourceMapping(uuid, functionArn, kind, eventSourceArn, kafkaBootstrapServers, batchSize,
                maximumBatchingWindowInSeconds, startingPosition, startingPositionTimestamp, filterPatterns,
                onFailureDestination, topics, queues, sourceAccessConfigurations, consumerGroupId, maximumConcurrency,
                functionResponseTypes, maximumRetryAttempts, maximumRecordAgeInSeconds, bisectBatchOnFunctionError,
                parallelizationFactor, tumblingWindowInSeconds, newEnabled, lastModifiedEpochMs, newState,
                newReason, newResult, eventSourceMappingArn, newTags);
    }
}
