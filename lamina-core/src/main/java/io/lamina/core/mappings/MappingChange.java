package io.lamina.core.mappings;

import java.util.List;
import java.util.Optional;

/** The members of a Create- or UpdateEventSourceMapping call; empty means "not given". */
public record MappingChange(
        Optional<String> functionName,
        Optional<String> eventSourceArn,
        Optional<List<String>> kafkaBootstrapServers,
        Optional<Integer> batchSize,
        Optional<Integer> maximumBatchingWindowInSeconds,
        Optional<String> startingPosition,
        Optional<Double> startingPositionTimestamp,
        Optional<List<String>> filterPatterns,
        Optional<String> onFailureDestination,
        Optional<List<String>> topics,
        Optional<List<String>> queues,
        Optional<List<EventSourceMapping.SourceAccess>> sourceAccessConfigurations,
        Optional<String> consumerGroupId,
        Optional<Integer> maximumConcurrency,
        Optional<List<String>> functionResponseTypes,
        Optional<Integer> maximumRetryAttempts,
        Optional<Integer> maximumRecordAgeInSeconds,
        Optional<Boolean> bisectBatchOnFunctionError,
        Optional<Integer> parallelizationFactor,
        Optional<Integer> tumblingWindowInSeconds,
        Optional<Boolean> enabled,
        Optional<Boolean> destinationConfigGiven) {
}
