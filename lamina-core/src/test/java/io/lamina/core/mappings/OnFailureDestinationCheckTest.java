package io.lamina.core.mappings;

import io.lamina.core.errors.LambdaException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnFailureDestinationCheckTest {
    private static final List<String> TOPICS = List.of("orders");

    private static void check(SourceKind kind, String destination) {
        MappingRegistry.checkOnFailureDestination(kind, TOPICS, Optional.of(destination));
    }

    @Test
    void kafkaMappings_takeQueuesTopicsBucketsAndOtherKafkaTopics() {
        for (SourceKind kind : List.of(SourceKind.SELF_MANAGED_KAFKA, SourceKind.MSK)) {
            for (String d : List.of("arn:aws:sqs:us-east-1:000000000000:q", "arn:aws:sns:us-east-1:000000000000:t",
                    "arn:aws:s3:::bucket", "kafka://orders-dlt", "")) {
                assertThatCode(() -> check(kind, d)).as(kind + " " + d).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void aKafkaDestination_thatIsOneOfTheMappingsTopics_isRefused() {
        assertThatThrownBy(() -> check(SourceKind.SELF_MANAGED_KAFKA, "kafka://orders"))
                .isInstanceOf(LambdaException.class).hasMessageContaining("orders");
    }

    @Test
    void otherServices_andKafkaTopicsForStreams_areRefused() {
        assertThatThrownBy(() -> check(SourceKind.MSK, "arn:aws:lambda:us-east-1:000000000000:function:f"))
                .isInstanceOf(LambdaException.class);
        assertThatThrownBy(() -> check(SourceKind.MSK, "arn:aws:events:us-east-1:000000000000:event-bus/b"))
                .isInstanceOf(LambdaException.class);
        assertThatThrownBy(() -> check(SourceKind.KINESIS, "kafka://orders-dlt"))
                .isInstanceOf(LambdaException.class);
        assertThatCode(() -> check(SourceKind.KINESIS, "arn:aws:s3:::bucket")).doesNotThrowAnyException();
    }
}
