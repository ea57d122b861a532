package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code rmq}: messages per second through an Amazon MQ (RabbitMQ) mapping into a no-op Node.js function,
 * per batch size, beside a plain amqp-client consumer's rate on the same broker in the same run; then the
 * delivery latency of a single message on an idle mapping (publish -> the function's UDP datagram): batch
 * size 1, batch size 10 with MaximumBatchingWindowInSeconds 0, and batch size 10 with MQ's default window
 * (500 ms, which a lone message waits out).
 * <pre>
 * rmq --endpoint URL --amqp amqp://127.0.0.1:5672 --user guest --password guest --broker-arn ARN --secret-arn ARN
 *     [--messages 20000] [--batch-sizes 1,100,1000] [--latency-n 200] [--default-window-n 10]
 * </pre>
 * Throughput is timed from the first batch the function reports to the last, so that the mapping's start
 * and the function's cold start stay out of it; the backlog is published (and confirmed) before the mapping
 * exists. Each run uses its own queue, deleted afterwards.
 */
final class RabbitBench {
    private static final PrintStream OUT = System.out;
    private static final PrintStream ERR = System.err;
    /** Reports each batch to the driver: "<messages> <base64 data of the last message>". */
    private static final String PING = """
            const dgram = require('dgram');
            const socket = dgram.createSocket('udp4');
            const port = Number(process.env.PING_PORT);
            exports.handler = async (e) => {
              let n = 0, last = '';
              for (const messages of Object.values(e.rmqMessagesByQueue)) { n += messages.length; last = messages[messages.length - 1].data; }
              await new Promise((resolve) => socket.send(n + ' ' + last, port, '127.0.0.1', resolve));
            };
            """;

    private RabbitBench() {
    }

    static int run(Bench.Args a) throws Exception {
        URI endpoint = URI.create(a.required("endpoint"));
        int messages = a.integer("messages", 20_000);
        int latencyN = a.integer("latency-n", 200);
        int defaultWindowN = a.integer("default-window-n", 10);
        var cf = new ConnectionFactory();
        cf.setUri(a.get("amqp", "amqp://127.0.0.1:5672"));
        cf.setUsername(a.get("user", "guest"));
        cf.setPassword(a.get("password", "guest"));
        String function = "bench-rmq-ping";
        try (Connection conn = cf.newConnection("lamina-bench");
             var api = new LambdaApi(endpoint);
             var udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setReceiveBufferSize(4 << 20);
            Channel ch = conn.createChannel();
            ch.confirmSelect();

            raw(conn, ch, messages);

            api.deleteFunction(function);
            api.createFunction(function, new Packages.Fn("node", "nodejs20.x", "index.handler",
                    Packages.zip(Map.of("index.js", PING.getBytes(StandardCharsets.UTF_8)))), 128, 30,
                    Map.of("PING_PORT", Integer.toString(udp.getLocalPort())));
            api.waitActive(function, 30_000);

            for (String b : a.get("batch-sizes", "1,100,1000").split(",")) {
                int batch = Integer.parseInt(b.trim());
                int n = batch == 1 ? Math.min(messages, 5_000) : messages;
                String queue = declare(ch);
                try {
                    publish(ch, queue, n);
                    String uuid = api.createMapping(mapping(a, function, queue, batch, null));
                    long[] firstAndLast = new long[2];
                    long got = receive(udp, n, firstAndLast);
                    api.deleteMapping(uuid);
                    long firstBatch = firstAndLast[1];
                    double seconds = (firstAndLast[0]) / 1e9;
                    double rate = seconds > 0 ? (got - firstBatch) / seconds : Double.NaN;
                    OUT.printf(Locale.ROOT, "lamina rmq-mapping batch_size=%d window=default messages=%d received=%d "
                            + "msgs_per_s=%.0f seconds=%.3f%n", batch, n, got, rate, seconds);
                } finally {
                    ch.queueDelete(queue);
                }
            }

            latency(a, api, ch, udp, function, latencyN, 1, 0);
            // A batch of one is full at once: the window shows only with room for more.
            latency(a, api, ch, udp, function, latencyN, 10, 0);
            latency(a, api, ch, udp, function, defaultWindowN, 10, -1);
            api.deleteFunction(function);
        }
        return 0;
    }

    /** The broker's own pace: a plain consumer (manual acks, prefetch 2000, one multiple ack per 100). */
    private static void raw(Connection conn, Channel ch, int n) throws Exception {
        String queue = declare(ch);
        try {
            publish(ch, queue, n);
            Channel c = conn.createChannel();
            c.basicQos(2000);
            var done = new CountDownLatch(1);
            var count = new AtomicLong();
            var first = new AtomicLong();
            var last = new AtomicLong();
            c.basicConsume(queue, false, new DefaultConsumer(c) {
                @Override
                public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties p, byte[] body) throws IOException {
                    long k = count.incrementAndGet();
                    if (k == 1) {
                        first.set(System.nanoTime());
                    }
                    if (k % 100 == 0 || k == n) {
                        getChannel().basicAck(env.getDeliveryTag(), true);
                    }
                    if (k == n) {
                        last.set(System.nanoTime());
                        done.countDown();
                    }
                }
            });
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IOException("raw consumer got " + count.get() + " of " + n);
            }
            c.close();
            double seconds = (last.get() - first.get()) / 1e9;
            OUT.printf(Locale.ROOT, "lamina rmq-raw-consumer messages=%d msgs_per_s=%.0f seconds=%.3f%n", n,
                    (n - 1) / seconds, seconds);
        } finally {
            ch.queueDelete(queue);
        }
    }

    /** Publish -> datagram, one message at a time on an idle mapping; window -1: MQ's default. */
    private static void latency(Bench.Args a, LambdaApi api, Channel ch, DatagramSocket udp, String function, int n,
                                int batch, int windowSeconds) throws Exception {
        String queue = declare(ch);
        try {
            String uuid = api.createMapping(mapping(a, function, queue, batch, windowSeconds >= 0 ? windowSeconds : null));
            api.waitMappingState(uuid, "Enabled", 30_000);
            int warmup = Math.min(20, n / 2);
            var samples = new ArrayList<Double>();
            udp.setSoTimeout(30_000);
            var buf = new DatagramPacket(new byte[256], 256);
            for (int i = 0; i < warmup + n; i++) {
                Thread.sleep(5);
                String seq = Integer.toString(i);
                long t0 = System.nanoTime();
                ch.basicPublish("", queue, null, seq.getBytes(StandardCharsets.UTF_8));
                while (true) {
                    udp.receive(buf);
                    String[] parts = new String(buf.getData(), 0, buf.getLength(), StandardCharsets.UTF_8).split(" ", 2);
                    if (parts.length == 2 && new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8).equals(seq)) {
                        break;
                    }
                }
                if (i >= warmup) {
                    samples.add((System.nanoTime() - t0) / 1e6);
                }
            }
            ch.waitForConfirmsOrDie(10_000);
            api.deleteMapping(uuid);
            Stats s = Stats.of(samples);
            OUT.printf(Locale.ROOT, "lamina rmq-latency batch_size=%d window=%s n=%d p50_ms=%s p90_ms=%s p99_ms=%s%n",
                    batch, windowSeconds >= 0 ? windowSeconds + "s" : "default", s.n(), Stats.ms(s.p(50)), Stats.ms(s.p(90)),
                    Stats.ms(s.p(99)));
        } finally {
            ch.queueDelete(queue);
        }
    }

    /**
     * Counts messages from the function's datagrams until {@code n}; {@code firstAndLast[0]} gets the nanos
     * from the first datagram to the last, {@code firstAndLast[1]} the size of the first batch.
     */
    private static long receive(DatagramSocket udp, int n, long[] firstAndLast) throws IOException {
        udp.setSoTimeout(60_000);
        var buf = new DatagramPacket(new byte[256], 256);
        long got = 0;
        long t0 = 0;
        long t1 = 0;
        while (got < n) {
            try {
                udp.receive(buf);
            } catch (SocketTimeoutException e) {
                ERR.println("bench: rmq: no batch for 60 s, " + got + " of " + n + " received");
                break;
            }
            long k = Long.parseLong(new String(buf.getData(), 0, buf.getLength(), StandardCharsets.UTF_8).split(" ", 2)[0]);
            t1 = System.nanoTime();
            if (got == 0) {
                t0 = t1;
                firstAndLast[1] = k;
            }
            got += k;
        }
        firstAndLast[0] = t1 - t0;
        return got;
    }

    private static ObjectNode mapping(Bench.Args a, String function, String queue, int batch, Integer windowSeconds) {
        ObjectNode m = LambdaApi.JSON.createObjectNode();
        m.put("FunctionName", function);
        m.put("EventSourceArn", a.required("broker-arn"));
        m.putArray("Queues").add(queue);
        m.put("BatchSize", batch);
        if (windowSeconds != null) {
            m.put("MaximumBatchingWindowInSeconds", windowSeconds);
        }
        var access = m.putArray("SourceAccessConfigurations");
        access.addObject().put("Type", "BASIC_AUTH").put("URI", a.required("secret-arn"));
        return m;
    }

    private static String declare(Channel ch) throws IOException {
        String q = "lamina-bench-" + UUID.randomUUID();
        ch.queueDeclare(q, false, false, false, null);
        return q;
    }

    private static void publish(Channel ch, String queue, int n) throws Exception {
        byte[] body = new byte[100];
        for (int i = 0; i < n; i++) {
            ch.basicPublish("", queue, null, body);
            if (i % 1000 == 999) {
                ch.waitForConfirmsOrDie(30_000);
            }
        }
        ch.waitForConfirmsOrDie(30_000);
    }
}
