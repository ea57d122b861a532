package io.lamina.core.sources.mq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.lamina.core.mappings.EventSourceMapping;
import io.lamina.core.mappings.MappingState;
import io.lamina.core.mappings.SourceKind;
import io.lamina.core.sources.RecordSource;
import io.lamina.core.sources.SourceException;
import io.lamina.core.sources.SourceFactory;
import io.lamina.core.sources.SourceResources;
import io.lamina.core.testing.RabbitCtl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against the machine's RabbitMQ (127.0.0.1:5672, guest/guest), each test on its own queue. */
class RabbitSourceTest {
    private static final String BROKER = "arn:aws:mq:us-east-1:000000000000:broker:test:b-1";
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:000000000000:secret:rmq";
    private static final SourceFactory.Context CONTEXT = new SourceFactory.Context("us-east-1", Map.of(),
            new SourceResources(Map.of(BROKER, "amqp://127.0.0.1:5672"),
                    Map.of(SECRET, Map.of("username", "guest", "password", "guest"))), Clock.systemUTC());

    private Connection publisher;
    private Channel channel;
    private String queue;
    private RecordSource<RabbitMessage> source;

    @BeforeEach
    void declareQueue() throws Exception {
        var cf = new ConnectionFactory();
        cf.setUri("amqp://guest:guest@127.0.0.1:5672");
        publisher = cf.newConnection();
        channel = publisher.createChannel();
        queue = "lamina-src-" + UUID.randomUUID();
        channel.queueDeclare(queue, false, false, false, null);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (source != null) {
            source.close();
        }
        channel.queueDelete(queue);
        publisher.close();
    }

    @SuppressWarnings("unchecked")
    private RecordSource<RabbitMessage> open(int batchSize, List<EventSourceMapping.SourceAccess> access) {
        source = (RecordSource<RabbitMessage>) new RabbitSourceFactory().open(mapping(batchSize, access), CONTEXT);
        return source;
    }

    private EventSourceMapping mapping(int batchSize, List<EventSourceMapping.SourceAccess> access) {
        return new EventSourceMapping(UUID.randomUUID().toString(), "arn:aws:lambda:us-east-1:000000000000:function:f",
                SourceKind.MQ, Optional.of(BROKER), List.of(), batchSize, Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), List.of(), List.of(queue), access, Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), true, 0, MappingState.Enabled, "USER_INITIATED", "No records processed",
                "arn:aws:lambda:us-east-1:000000000000:event-source-mapping:x", Map.of());
    }

    private RecordSource<RabbitMessage> open(int batchSize) {
        return open(batchSize, List.of(new EventSourceMapping.SourceAccess("BASIC_AUTH", SECRET)));
    }

    private void publish(String body) throws Exception {
        channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().contentType("text/plain").build(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static String data(RabbitMessage m) {
        return new String(java.util.Base64.getDecoder().decode(m.message().get("data").asText()), StandardCharsets.UTF_8);
    }

    private List<RabbitMessage> pollUntil(RecordSource<RabbitMessage> s, int n) throws InterruptedException {
        var out = new ArrayList<RabbitMessage>();
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (out.size() < n && System.nanoTime() < end) {
            out.addAll(s.poll(n - out.size(), Duration.ofMillis(200)));
        }
        return out;
    }

    @Test
    void poll_answersAsSoonAsAMessageArrives_notAfterTheWholeWait() throws Exception {
        var s = open(10);
        publish("one");
        long t0 = System.nanoTime();
        List<RabbitMessage> got = s.poll(10, Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertThat(got).extracting(RabbitSourceTest::data).containsExactly("one");
        assertThat(got.getFirst().message().get("redelivered").asBoolean()).isFalse();
    }

    @Test
    void release_requeues_andTheMessageComesBackMarkedRedelivered_whileAcknowledgedOnesAreGone() throws Exception {
        var s = open(10);
        publish("a");
        publish("b");
        List<RabbitMessage> first = pollUntil(s, 2);
        assertThat(first).extracting(RabbitSourceTest::data).containsExactly("a", "b");
        s.acknowledge(List.of(first.get(0)));
        s.release(List.of(first.get(1)));

        List<RabbitMessage> again = pollUntil(s, 1);
        assertThat(again).extracting(RabbitSourceTest::data).containsExactly("b");
        assertThat(again.getFirst().message().get("redelivered").asBoolean()).isTrue();
        s.acknowledge(again);
        assertThat(s.poll(10, Duration.ofMillis(300))).isEmpty();
        assertThat(channel.messageCount(queue)).isZero();
    }

    @Test
    void acknowledge_ofAWholeBatchInOrder_leavesNothingUnackedOnTheBroker() throws Exception {
        var s = open(50);
        for (int i = 0; i < 50; i++) {
            publish("m" + i);
        }
        List<RabbitMessage> got = pollUntil(s, 50);
        assertThat(got).hasSize(50);
        s.acknowledge(got);
        s.close();
        source = null;
        // Closing the consumer would hand back anything left unacked.
        assertThat(channel.messageCount(queue)).isZero();
    }

    @Test
    void wakeup_endsABlockedPoll() throws Exception {
        var s = open(10);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            s.wakeup();
        });
        long t0 = System.nanoTime();
        assertThat(s.poll(10, Duration.ofSeconds(10))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void close_handsUnacknowledgedMessagesBackToTheBroker() throws Exception {
        var s = open(10);
        publish("x");
        assertThat(pollUntil(s, 1)).hasSize(1);
        s.close();
        source = null;
        Thread.sleep(100);
        assertThat(channel.messageCount(queue)).isEqualTo(1);
    }

    @Test
    void lostConnection_isRecovered_andWhatWasUnackedComesBackRedelivered() throws Exception {
        try (var proxy = new DroppingProxy(5672)) {
            var ctx = new SourceFactory.Context("us-east-1", Map.of(), new SourceResources(
                    Map.of(BROKER, "amqp://127.0.0.1:" + proxy.port()),
                    Map.of(SECRET, Map.of("username", "guest", "password", "guest"))), Clock.systemUTC());
            @SuppressWarnings("unchecked")
            var s = (RecordSource<RabbitMessage>) new RabbitSourceFactory().open(mapping(10,
                    List.of(new EventSourceMapping.SourceAccess("BASIC_AUTH", SECRET))), ctx);
            source = s;
            publish("before");
            List<RabbitMessage> stale = pollUntil(s, 1);
            assertThat(stale).extracting(RabbitSourceTest::data).containsExactly("before");

            proxy.dropAll();
            var again = new ArrayList<RabbitMessage>();
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (again.isEmpty() && System.nanoTime() < end) {
                try {
                    again.addAll(s.poll(10, Duration.ofMillis(200)));
                } catch (SourceException e) {
                    Thread.sleep(100); // reconnecting: the poller backs off the same way
                }
            }
            assertThat(again).extracting(RabbitSourceTest::data).containsExactly("before");
            assertThat(proxy.accepted.get()).as("connections through the relay: the first and the recovered one")
                    .isEqualTo(2);
            assertThat(again.getFirst().message().get("redelivered").asBoolean()).isTrue();
            // Settling a delivery of the lost connection is harmless: its tag is not sent on the new one.
            s.acknowledge(stale);
            s.acknowledge(again);
            publish("after");
            assertThat(pollUntil(s, 1)).extracting(RabbitSourceTest::data).containsExactly("after");
        }
    }

    @Test
    void queueDeletedUnderTheConsumer_isReportedUntilItExistsAgain_thenConsumptionResumes() throws Exception {
        var s = open(10);
        channel.queueDelete(queue);
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        SourceException reported = null;
        while (reported == null && System.nanoTime() < end) {
            try {
                s.poll(10, Duration.ofMillis(200));
            } catch (SourceException e) {
                reported = e;
            }
        }
        assertThat(reported).as("a poll reports the missing queue").isNotNull();
        assertThat(reported.getMessage()).contains("NOT_FOUND");

        channel.queueDeclare(queue, false, false, false, null);
        publish("back");
        var got = new ArrayList<RabbitMessage>();
        end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (got.isEmpty() && System.nanoTime() < end) {
            got.addAll(s.poll(10, Duration.ofMillis(200)));
        }
        assertThat(got).extracting(RabbitSourceTest::data).containsExactly("back");
        s.acknowledge(got);
    }

    @Test
    void virtualHost_fromTheMapping_isWhereTheQueueIsRead_andNamesTheEventsQueueKey() throws Exception {
        String vhost = "lamina-test-" + UUID.randomUUID();
        RabbitCtl.run("add_vhost", vhost);
        try {
            RabbitCtl.run("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
            var cf = new ConnectionFactory();
            cf.setUri("amqp://guest:guest@127.0.0.1:5672");
            cf.setVirtualHost(vhost);
            try (Connection c = cf.newConnection(); Channel ch = c.createChannel()) {
                ch.queueDeclare(queue, false, false, false, null);
                ch.basicPublish("", queue, null, "in-vhost".getBytes(StandardCharsets.UTF_8));
            }
            var s = open(10, List.of(new EventSourceMapping.SourceAccess("BASIC_AUTH", SECRET),
                    new EventSourceMapping.SourceAccess("VIRTUAL_HOST", vhost)));
            List<RabbitMessage> got = pollUntil(s, 1);
            assertThat(got).extracting(RabbitSourceTest::data).containsExactly("in-vhost");
            var event = new com.fasterxml.jackson.databind.ObjectMapper().readTree(s.event(got));
            assertThat(event.get("rmqMessagesByQueue").has(queue + "::" + vhost)).isTrue();
            s.acknowledge(got);
            s.close();
            source = null;
        } finally {
            RabbitCtl.run("delete_vhost", vhost);
        }
    }


    @Test
    void open_onAMissingQueue_failsWithTheBrokersReason() {
        queue = queue + "-missing";
        assertThatThrownBy(() -> open(10)).isInstanceOf(SourceException.class).hasMessageContaining("NOT_FOUND");
        queue = queue.substring(0, queue.length() - "-missing".length());
    }

    @Test
    void open_withWrongCredentials_failsWithoutShowingThem() {
        var ctx = new SourceFactory.Context("us-east-1", Map.of(), new SourceResources(
                Map.of(BROKER, "amqp://127.0.0.1:5672"),
                Map.of(SECRET, Map.of("username", "guest", "password", "s3cr3t-wrong"))), Clock.systemUTC());
        var m = new EventSourceMapping("u", "f", SourceKind.MQ, Optional.of(BROKER), List.of(), 10, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty(), List.of(), List.of(queue),
                List.of(new EventSourceMapping.SourceAccess("BASIC_AUTH", SECRET)), Optional.empty(), Optional.empty(),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true,
                0, MappingState.Enabled, "", "", "arn", Map.of());
        assertThatThrownBy(() -> new RabbitSourceFactory().open(m, ctx)).isInstanceOf(SourceException.class)
                .hasMessageNotContaining("s3cr3t-wrong");
    }

    @Test
    void open_ofABrokerMissingFromTheResourcesFile_saysSo() {
        var ctx = new SourceFactory.Context("us-east-1", Map.of(), SourceResources.none(), Clock.systemUTC());
        var m = new EventSourceMapping("u", "f", SourceKind.MQ, Optional.of(BROKER), List.of(), 10, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty(), List.of(), List.of(queue), List.of(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), true, 0, MappingState.Enabled, "", "", "arn", Map.of());
        assertThatThrownBy(() -> new RabbitSourceFactory().open(m, ctx)).isInstanceOf(SourceException.class)
                .hasMessageContaining("resources file").hasMessageContaining(BROKER);
    }

    /** A TCP relay to the broker whose connections can be cut, as a network failure would. */
    private static final class DroppingProxy implements AutoCloseable {
        private final java.net.ServerSocket server = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress());
        private final List<java.net.Socket> open = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

        DroppingProxy(int upstreamPort) throws java.io.IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        var client = server.accept();
                        accepted.incrementAndGet();
                        var upstream = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), upstreamPort);
                        open.add(client);
                        open.add(upstream);
                        pipe(client, upstream);
                        pipe(upstream, client);
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private void pipe(java.net.Socket from, java.net.Socket to) {
            Thread.ofVirtual().start(() -> {
                try {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (java.io.IOException e) {
                    // cut
                }
                closeQuietly(from);
                closeQuietly(to);
            });
        }

        void dropAll() {
            open.forEach(DroppingProxy::closeQuietly);
            open.clear();
        }

        private static void closeQuietly(java.net.Socket s) {
            try {
                s.close();
            } catch (java.io.IOException e) {
                // already closed
            }
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
            dropAll();
        }
    }
}
