package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka event source mappings under load, against a single-node KRaft broker started in this JVM:
 * <ul>
 *   <li>{@code kafka-raw}: a plain {@link KafkaConsumer} reading a topic of small records from the start,
 *       records/s, the median of three passes: the ceiling a mapping is compared with.</li>
 *   <li>{@code kafka-mapping batch=B}: a mapping (TRIM_HORIZON, no window) on a topic already holding the
 *       records, invoking a Node.js function that only reports each batch's size over UDP; records/s from
 *       the first batch seen to the last, so the group join and the cold start are left out.</li>
 *   <li>{@code kafka-node-floor}: the Node.js runtime's unavoidable work per batch (the event's bytes to a
 *       string, {@code JSON.parse}), timed on a real event of the largest batch size captured by the
 *       function, and the records/s that allows one partition if nothing else cost anything.</li>
 *   <li>{@code kafka-latency}: an idle mapping with no batching window; one record produced at a time,
 *       timed from the send until the function's UDP datagram for it arrives.</li>
 * </ul>
 */
final class KafkaBench {
    private static final byte[] VALUE = new byte[100];
    /** Does nothing with the records but tell the driver, over UDP, how many it got. */
    private static final String COUNT = """
            const dgram = require('dgram');
            const socket = dgram.createSocket('udp4');
            let captured = false;
            exports.handler = async (e) => {
              let n = 0;
              for (const records of Object.values(e.records)) { n += records.length; }
              if (!captured && n === CAPTURE_N) { // one full batch's event, for the Node.js floor; before the
                captured = true;                  // first datagram, so outside the timed window
                require('fs').writeFileSync('CAPTURE_FILE', JSON.stringify(e));
              }
              await new Promise((resolve) => socket.send(String(n), PORT, '127.0.0.1', resolve));
              return {};
            };
            """;
    /**
     * What the Node.js runtime cannot avoid per batch, whatever the platform in front of it costs: turning the
     * event's bytes into a string and parsing it (the bootstrap's own two steps), timed on the captured event.
     */
    private static final String FLOOR = """
            const body = require('fs').readFileSync(process.argv[2]);
            let sink = 0;
            const once = () => { sink += JSON.parse(body.toString('utf8')).records ? 1 : 0; };
            for (let i = 0; i < 300; i++) once();
            const t0 = process.hrtime.bigint();
            let n = 0;
            while (process.hrtime.bigint() - t0 < 3000000000n) { once(); n++; }
            const ms = Number(process.hrtime.bigint() - t0) / 1e6 / n;
            console.log(ms.toFixed(4) + ' ' + body.length + ' ' + sink);
            """;
    /** Passes of the raw consumer over the topic (each its own group); the median is the yardstick. */
    private static final int RAW_PASSES = 3;
    private static final String PING = """
            const dgram = require('dgram');
            const socket = dgram.createSocket('udp4');
            exports.handler = async (e) => {
              for (const records of Object.values(e.records)) {
                for (const r of records) {
                  const v = JSON.parse(Buffer.from(r.value, 'base64').toString());
                  await new Promise((resolve) => socket.send(String(v.seq), v.port, '127.0.0.1', resolve));
                }
              }
              return {};
            };
            """;

    private KafkaBench() {
    }

    static int run(Bench.Args a) throws Exception {
        URI endpoint = URI.create(a.required("endpoint"));
        int records = a.integer("records", 200_000);
        int recordsBatch1 = a.integer("records-batch1", 3_000);
        int latencyN = a.integer("latency-n", 200);
        List<Integer> batches = Arrays.stream(a.get("batches", "1,100,1000").split(",")).map(Integer::parseInt).toList();
        Arrays.fill(VALUE, (byte) 'x');
        try (KafkaClusterTestKit cluster = broker();
             var api = new LambdaApi(endpoint);
             var udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setReceiveBufferSize(4 << 20);
            udp.setSoTimeout(60_000);
            String servers = cluster.bootstrapServers();
            Properties common = new Properties();
            common.put("bootstrap.servers", servers);
            try (Admin admin = Admin.create(common);
                 var producer = new KafkaProducer<>(producerProps(servers), new ByteArraySerializer(),
                         new ByteArraySerializer())) {
                api.deleteFunction("bench-kafka-count");
                int largest = batches.stream().mapToInt(Integer::intValue).max().orElse(1);
                java.nio.file.Path capture = java.nio.file.Files.createTempFile("kafka-event-", ".json");
                api.createFunction("bench-kafka-count", node(COUNT.replace("PORT", Integer.toString(udp.getLocalPort()))
                                .replace("CAPTURE_N", Integer.toString(largest))
                                .replace("CAPTURE_FILE", capture.toString())), 128, 30);
                api.waitActive("bench-kafka-count", 30_000);

                // The raw consumer reads the same topic as the largest mapping case, in the same run.
                int big = records;
                admin.createTopics(List.of(new NewTopic("bench-big", 1, (short) 1))).all().get();
                fill(producer, "bench-big", big);
                var passes = new ArrayList<Double>();
                for (int i = 0; i < RAW_PASSES; i++) {
                    passes.add(raw(servers, "bench-big", big, "bench-raw-" + i));
                }
                double raw = passes.stream().sorted().toList().get(RAW_PASSES / 2);
                System.out.printf(Locale.ROOT, "lamina kafka-raw records=%d rps=%.0f passes=%s%n", big, raw,
                        String.join(",", passes.stream().map(r -> String.format(Locale.ROOT, "%.0f", r)).toList()));

                for (int b : batches) {
                    int n = b == 1 ? recordsBatch1 : records;
                    String topic = "bench-big";
                    if (n != big) {
                        topic = "bench-b" + b;
                        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                        fill(producer, topic, n);
                    }
                    double rps = mapping(api, udp, servers, topic, n, b);
                    System.out.printf(Locale.ROOT, "lamina kafka-mapping batch=%d records=%d rps=%.0f raw_rps=%.0f "
                            + "of_raw=%.3f%n", b, n, rps, raw, rps / raw);
                }
                nodeFloor(capture, largest, raw);
                latency(api, admin, producer, servers, latencyN);
            }
        }
        return 0;
    }

    private static KafkaClusterTestKit broker() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return cluster;
    }

    private static Properties producerProps(String servers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        return p;
    }

    private static void fill(KafkaProducer<byte[], byte[]> producer, String topic, int n) {
        for (int i = 0; i < n; i++) {
            producer.send(new ProducerRecord<>(topic, 0, null, VALUE));
        }
        producer.flush();
    }

    /**
     * The Node.js runtime's own floor for one batch's event, and the records/s it allows a single partition
     * (whose batches run one after the other) even if everything else cost nothing.
     */
    private static void nodeFloor(java.nio.file.Path capture, int batch, double raw) throws Exception {
        if (java.nio.file.Files.size(capture) == 0) {
            System.out.printf(Locale.ROOT, "lamina kafka-node-floor batch=%d captured=no%n", batch);
            return;
        }
        java.nio.file.Path script = java.nio.file.Files.createTempFile("kafka-floor-", ".js");
        try {
            java.nio.file.Files.writeString(script, FLOOR);
            Process p = new ProcessBuilder("node", script.toString(), capture.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
            if (p.waitFor() != 0 || out.length < 2) {
                throw new IOException("node floor measure failed");
            }
            double ms = Double.parseDouble(out[0]);
            double ceiling = batch / (ms / 1000.0);
            System.out.printf(Locale.ROOT, "lamina kafka-node-floor batch=%d event_bytes=%s parse_ms=%.3f "
                    + "ceiling_rps=%.0f ceiling_of_raw=%.3f%n", batch, out[1], ms, ceiling, ceiling / raw);
        } finally {
            java.nio.file.Files.deleteIfExists(script);
            java.nio.file.Files.deleteIfExists(capture);
        }
    }

    private static double raw(String servers, String topic, int n, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            // Timed from the first records on (the group join is left out, as for mappings), so the records
            // of that first poll are not counted either.
            int total = 0;
            int first = 0;
            long t0 = 0;
            while (total < n) {
                int got = c.poll(Duration.ofMillis(500)).count();
                if (got > 0 && t0 == 0) {
                    t0 = System.nanoTime();
                    first = got;
                }
                total += got;
            }
            return (total - first) / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static double mapping(LambdaApi api, DatagramSocket udp, String servers, String topic, int n, int batch)
            throws Exception {
        ObjectNode req = LambdaApi.JSON.createObjectNode();
        req.put("FunctionName", "bench-kafka-count");
        req.putArray("Topics").add(topic);
        req.put("StartingPosition", "TRIM_HORIZON");
        req.put("BatchSize", batch);
        req.put("MaximumBatchingWindowInSeconds", 0);
        req.putObject("SelfManagedEventSource").putObject("Endpoints").putArray("KAFKA_BOOTSTRAP_SERVERS").add(servers);
        ObjectNode vpc = req.putArray("SourceAccessConfigurations").addObject();
        vpc.put("Type", "VPC_SUBNET");
        vpc.put("URI", "subnet:bench");
        String uuid = api.createMapping(req);
        try {
            var buf = new DatagramPacket(new byte[32], 32);
            long total = 0;
            long first = 0;
            long t0 = 0;
            while (total < n) {
                udp.receive(buf);
                long now = System.nanoTime();
                int got = Integer.parseInt(new String(buf.getData(), 0, buf.getLength(), StandardCharsets.US_ASCII));
                if (t0 == 0) {
                    t0 = now; // from the first batch on: the group join and the cold start are left out
                    first = got;
                }
                total += got;
                if (total >= n) {
                    return (total - first) / ((now - t0) / 1e9);
                }
            }
            throw new IOException("mapping " + uuid + " saw " + total + " of " + n + " records");
        } finally {
            api.deleteMapping(uuid);
        }
    }

    private static void latency(LambdaApi api, Admin admin, KafkaProducer<byte[], byte[]> producer, String servers,
                                int n) throws Exception {
        int warmup = Math.max(10, n / 10);
        api.deleteFunction("bench-kafka-ping");
        api.createFunction("bench-kafka-ping", node(PING), 128, 10);
        api.waitActive("bench-kafka-ping", 30_000);
        admin.createTopics(List.of(new NewTopic("bench-idle", 1, (short) 1))).all().get();
        ObjectNode req = LambdaApi.JSON.createObjectNode();
        req.put("FunctionName", "bench-kafka-ping");
        req.putArray("Topics").add("bench-idle");
        req.put("StartingPosition", "TRIM_HORIZON");
        req.put("BatchSize", 100);
        req.put("MaximumBatchingWindowInSeconds", 0);
        req.putObject("SelfManagedEventSource").putObject("Endpoints").putArray("KAFKA_BOOTSTRAP_SERVERS").add(servers);
        ObjectNode vpc = req.putArray("SourceAccessConfigurations").addObject();
        vpc.put("Type", "VPC_SUBNET");
        vpc.put("URI", "subnet:bench");
        String uuid = api.createMapping(req);
        var delivery = new ArrayList<Double>();
        try (var udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            api.waitMappingState(uuid, "Enabled", 30_000);
            udp.setSoTimeout(30_000);
            var buf = new DatagramPacket(new byte[64], 64);
            for (int i = 0; i < warmup + n; i++) {
                Thread.sleep(20); // idle between records: each one finds the mapping waiting
                byte[] v = ("{\"seq\":" + i + ",\"port\":" + udp.getLocalPort() + "}").getBytes(StandardCharsets.UTF_8);
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>("bench-idle", 0, null, v));
                producer.flush();
                while (true) {
                    udp.receive(buf);
                    if (new String(buf.getData(), 0, buf.getLength(), StandardCharsets.UTF_8).equals(Integer.toString(i))) {
                        break;
                    }
                }
                if (i >= warmup) {
                    delivery.add((System.nanoTime() - t0) / 1e6);
                }
            }
        } finally {
            api.deleteMapping(uuid);
        }
        Stats d = Stats.of(delivery);
        System.out.printf(Locale.ROOT, "lamina kafka-latency runtime=node n=%d delivery_p50_ms=%s delivery_p90_ms=%s "
                + "delivery_p99_ms=%s%n", d.n(), Stats.ms(d.p(50)), Stats.ms(d.p(90)), Stats.ms(d.p(99)));
    }

    private static Packages.Fn node(String source) {
        return new Packages.Fn("node", "nodejs20.x", "index.handler",
                Packages.zip(Map.of("index.js", source.getBytes(StandardCharsets.UTF_8))));
    }
}
