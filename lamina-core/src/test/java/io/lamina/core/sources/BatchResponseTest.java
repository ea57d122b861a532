package io.lamina.core.sources;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** AWS's rules for a partial batch response, record by record (services-sqs-errorhandling). */
class BatchResponseTest {
    private static final List<String> BATCH = List.of("m1", "m2", "m3");

    @Test
    void nullOrEmptyResponses_andEmptyFailureLists_areCompleteSuccesses() {
        for (String body : List.of("", "null", "{}", "{\"batchItemFailures\":null}", "{\"batchItemFailures\":[]}",
                "\"done\"", "42")) {
            assertThat(failed(body)).as(body).contains(List.of());
        }
    }

    @Test
    void listedIdentifiers_areTheFailedRecords_onceEach() {
        assertThat(failed("{\"batchItemFailures\":[{\"itemIdentifier\":\"m3\"},{\"itemIdentifier\":\"m1\"},"
                + "{\"itemIdentifier\":\"m3\"}]}")).contains(List.of("m3", "m1"));
    }

    @Test
    void invalidJson_nullOrEmptyIdentifiers_badKeys_andUnknownIds_failTheWholeBatch() {
        for (String body : List.of("{not json", "{\"batchItemFailures\":[{\"itemIdentifier\":null}]}",
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}",
                "{\"batchItemFailures\":[{\"itemId\":\"m1\"}]}",
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"m9\"}]}",
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"},{\"itemIdentifier\":\"nope\"}]}",
                "{\"batchItemFailures\":\"m1\"}")) {
            assertThat(failed(body)).as(body).isEmpty();
        }
    }

    private static Optional<List<String>> failed(String body) {
        return BatchResponse.failedRecords(body.getBytes(StandardCharsets.UTF_8), BATCH, new Ids());
    }

    /** Records that are their own identifiers: only {@code identified} is consulted. */
    private static final class Ids implements RecordSource<String> {
        @Override
        public Optional<String> identified(List<String> batch, JsonNode itemIdentifier) {
            return batch.stream().filter(r -> itemIdentifier.isTextual() && r.equals(itemIdentifier.asText())).findFirst();
        }

        @Override
        public Redelivery redelivery() {
            return Redelivery.BY_SOURCE;
        }

        @Override
        public List<String> poll(int max, Duration wait) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int eventSize(String record) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String filterView(String record) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] event(List<String> batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void acknowledge(List<String> records) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
