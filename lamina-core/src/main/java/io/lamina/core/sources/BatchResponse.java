package io.lamina.core.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A function's partial batch response ({@code ReportBatchItemFailures}), read with AWS's rules
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html): an empty or null
 * response, or an empty or null {@code batchItemFailures}, is a complete success; invalid JSON, an item
 * without {@code itemIdentifier}, an empty or null identifier, or one naming no record of the batch
 * is a complete failure.
 */
final class BatchResponse {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchResponse() {
    }

    /** The failed records, or empty when the whole batch failed. */
    static <R> Optional<List<R>> failedRecords(byte[] payload, List<R> batch, RecordSource<R> source) {
        JsonNode root;
        try {
            root = payload.length == 0 ? null : JSON.readTree(payload);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || root.isNull() || !root.isObject()) {
            // A bare string or number carries no batchItemFailures: nothing is reported failed.
            return Optional.of(List.of());
        }
        JsonNode items = root.get("batchItemFailures");
        if (items == null || items.isNull()) {
            return Optional.of(List.of());
        }
        if (!items.isArray()) {
            return Optional.empty();
        }
        Set<R> failed = new LinkedHashSet<>();
        for (JsonNode item : items) {
            JsonNode id = item.get("itemIdentifier");
            if (id == null || id.isNull() || (id.isTextual() && id.asText().isEmpty())) {
                return Optional.empty();
            }
            Optional<R> r = source.identified(batch, id);
            if (r.isEmpty()) {
                return Optional.empty();
            }
            failed.add(r.get());
        }
        return Optional.of(new ArrayList<>(failed));
    }
}
