package io.lamina.core.sources.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaSourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TopicPartition p0 = new TopicPartition("t", 0);
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private MockConsumer<byte[], byte[]> consumer;
    private KafkaSource source;
    private long nanos;

    @BeforeEach
    void setUp() {
        consumer = new MockConsumer<>("earliest");
        source = new KafkaSource(consumer, List.of("t"), KafkaEvents.Origin.selfManaged("h:1"),
                new KafkaSource.Start.TrimHorizon(), "m", INTERVAL, () -> nanos);
        consumer.updateBeginningOffsets(Map.of(p0, 0L));
        consumer.rebalance(List.of(p0));
        for (int i = 0; i < 4; i++) {
            consumer.addRecord(KafkaEventsTest.record("t", 0, i, 1000 + i, null, ("v" + i).getBytes(), new RecordHeaders()));
        }
    }

    private long committed() {
        var c = consumer.committed(Set.of(p0)).get(p0);
        return c == null ? -1 : c.offset();
    }

    @Test
    void poll_handsOutNoMoreThanAsked_andKeepsTheRestForTheNextPoll() {
        assertThat(source.poll(3, Duration.ZERO)).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L);
        assertThat(source.poll(3, Duration.ZERO)).extracting(ConsumerRecord::offset).containsExactly(3L);
    }

    @Test
    void acknowledge_outOfOrder_commitsOnlyUpToTheFirstRecordNotYetDone() {
        var batch = source.poll(4, Duration.ZERO);
        // The fresh partition's starting position was committed when it was assigned.
        assertThat(committed()).isEqualTo(0);
        // A filtered-out record in the middle is acknowledged before the others ran.
        source.acknowledge(List.of(batch.get(2)));
        assertThat(committed()).isEqualTo(0);
        nanos += INTERVAL.toNanos();
        source.acknowledge(List.of(batch.get(0)));
        assertThat(committed()).isEqualTo(1);
        nanos += INTERVAL.toNanos();
        source.acknowledge(List.of(batch.get(1), batch.get(3)));
        assertThat(committed()).isEqualTo(4);
    }

    @Test
    void acknowledge_withinTheCommitIntervalOfTheLastCommit_commitsWhenItIsOver_evenOnAnIdlePoll() {
        var batch = source.poll(4, Duration.ZERO);
        source.acknowledge(List.of(batch.get(0)));
        assertThat(committed()).isEqualTo(1);
        source.acknowledge(List.of(batch.get(1)));
        assertThat(committed()).isEqualTo(1);
        nanos += INTERVAL.toNanos() - 1;
        source.poll(4, Duration.ZERO);
        assertThat(committed()).isEqualTo(1);
        nanos += 1;
        assertThat(source.poll(4, Duration.ZERO)).isEmpty();
        assertThat(committed()).isEqualTo(2);
    }

    @Test
    void identified_namesARecordByTopicPartitionKeyAndOffset() throws Exception {
        var batch = source.poll(4, Duration.ZERO);
        assertThat(source.identified(batch, JSON.readTree("{\"partition\":\"t-0\",\"offset\":2}")))
                .containsSame(batch.get(2));
        assertThat(source.identified(batch, JSON.readTree("{\"partition\":\"t-1\",\"offset\":2}"))).isEmpty();
        assertThat(source.identified(batch, JSON.readTree("{\"partition\":\"t-0\",\"offset\":9}"))).isEmpty();
        assertThat(source.identified(batch, JSON.readTree("\"t-0-2\""))).isEmpty();
        assertThat(source.identified(batch, JSON.readTree("{\"partition\":\"t-0\"}"))).isEmpty();
    }

    @Test
    void wakeup_makesABlockedPollReturnEmpty() {
        source.poll(4, Duration.ZERO);
        source.wakeup();
        assertThat(source.poll(4, Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void eventSize_isAtLeastTheRecordsShareOfTheEvent() {
        var batch = source.poll(1, Duration.ZERO);
        int inEvent = KafkaEvents.record(batch.get(0)).length();
        assertThat(source.eventSize(batch.get(0))).isGreaterThanOrEqualTo(inEvent);
    }
}
