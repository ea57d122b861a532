package io.lamina.it.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.lamina.core.sources.SourceResources;
import io.lamina.it.Functions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The machine's RabbitMQ (127.0.0.1:5672, guest/guest, vhost "/") as the tests use it: queues with
 * unique names deleted on close, publishing with confirms, and the recording functions' output.
 */
public final class Rabbit implements AutoCloseable {
    public static final String BROKER_ARN = "arn:aws:mq:us-east-1:000000000000:broker:lamina-it:b-0d2a4c1e-9f7b-4a53-8c61-3b2f5e7d9a10";
    public static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:lamina-it-rmq-AbCdEf";
    public static final String URI = "amqp://127.0.0.1:5672";
    static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Channel channel;
    private final List<String> queues = new CopyOnWriteArrayList<>();

    public Rabbit() {
        try {
            var cf = new ConnectionFactory();
            cf.setUri(URI);
            cf.setUsername("guest");
            cf.setPassword("guest");
            connection = cf.newConnection("lamina-it");
            channel = connection.createChannel();
            channel.confirmSelect();
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ is not reachable at " + URI + " (is the broker running?)", e);
        }
    }

    /** Lamina's resources: this broker and the guest credentials under {@link #SECRET_ARN}. */
    public static SourceResources resources() {
        return new SourceResources(Map.of(BROKER_ARN, URI),
                Map.of(SECRET_ARN, Map.of("username", "guest", "password", "guest")));
    }

    /** The same as a resources file's JSON. */
    public static String resourcesJson() {
        return "{\"brokers\":{\"" + BROKER_ARN + "\":\"" + URI + "\"},\"secrets\":{\"" + SECRET_ARN
                + "\":{\"username\":\"guest\",\"password\":\"guest\"}}}";
    }

    /** A new classic queue with a unique name. */
    public String queue(String prefix) {
        return queue(prefix, false, null);
    }

    public synchronized String queue(String prefix, boolean durable, Map<String, Object> arguments) {
        String name = prefix + "-" + UUID.randomUUID();
        try {
            channel.queueDeclare(name, durable, false, false, arguments);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        queues.add(name);
        return name;
    }

    public void publish(String queue, String body) {
        publish(queue, new AMQP.BasicProperties.Builder().contentType("text/plain").build(), body);
    }

    /** Publishes and waits for the broker's confirm: once this returns, the broker has the message. */
    public synchronized void publish(String queue, AMQP.BasicProperties props, String body) {
        try {
            channel.basicPublish("", queue, props, body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);
        } catch (IOException | InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes many and waits for their confirms once. */
    public synchronized void publishAll(String queue, List<String> bodies) {
        try {
            for (String b : bodies) {
                channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().contentType("text/plain").build(),
                        b.getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(30_000);
        } catch (IOException | InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages ready in the queue (not those delivered and unacked). */
    public synchronized long ready(String queue) {
        try {
            return channel.messageCount(queue);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes one message off a queue, acking it, or null. */
    public synchronized String get(String queue) {
        try {
            GetResponse r = channel.basicGet(queue, true);
            return r == null ? null : new String(r.getBody(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            for (String q : queues) {
                channel.queueDelete(q);
            }
            connection.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Node.js or Python function body that appends the whole event (plus its request id) to
     * {@code $RECORD_DIR/invocations.jsonl}, then fails when a message's data starts with {@code fail},
     * or starts with {@code once} and is not redelivered.
     */
    public static byte[] nodeRecorder() {
        return Functions.node("""
                const fs = require('fs');
                exports.handler = async (event, context) => {
                  fs.appendFileSync(process.env.RECORD_DIR + '/invocations.jsonl',
                    JSON.stringify(Object.assign({requestId: context.awsRequestId}, event)) + "\\n");
                  for (const messages of Object.values(event.rmqMessagesByQueue)) {
                    for (const m of messages) {
                      const body = Buffer.from(m.data, 'base64').toString('utf8');
                      if (body.startsWith('fail') || (body.startsWith('once') && !m.redelivered)) {
                        throw new Error('failing on purpose: ' + body);
                      }
                    }
                  }
                  return 'ok';
                };
                """);
    }

    public static byte[] pythonRecorder() {
        return Functions.python("""
                import base64, json, os

                def handler(event, context):
                    line = dict(requestId=context.aws_request_id, **event)
                    with open(os.path.join(os.environ['RECORD_DIR'], 'invocations.jsonl'), 'a') as f:
                        f.write(json.dumps(line) + "\\n")
                    for messages in event['rmqMessagesByQueue'].values():
                        for m in messages:
                            body = base64.b64decode(m['data']).decode('utf-8')
                            if body.startswith('fail') or (body.startswith('once') and not m['redelivered']):
                                raise RuntimeError('failing on purpose: ' + body)
                    return 'ok'
                """);
    }

    /** Every invocation a recording function wrote, in order. */
    public static List<JsonNode> invocations(Path recordDir) {
        return io.lamina.it.JsonLines.read(recordDir.resolve("invocations.jsonl"));
    }

    /** The messages of one invocation, in event order. */
    public static List<JsonNode> messages(JsonNode invocation) {
        var out = new ArrayList<JsonNode>();
        invocation.get("rmqMessagesByQueue").elements().forEachRemaining(list -> list.forEach(out::add));
        return out;
    }

    /** A message's data, decoded. */
    public static String body(JsonNode message) {
        return new String(Base64.getDecoder().decode(message.get("data").asText()), StandardCharsets.UTF_8);
    }

    /** Every message body the function saw, over all invocations, in order. */
    public static List<String> bodies(Path recordDir) {
        var out = new ArrayList<String>();
        for (JsonNode inv : invocations(recordDir)) {
            messages(inv).forEach(m -> out.add(body(m)));
        }
        return out;
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        io.lamina.it.Waits.await(what, timeout, condition);
    }

    public static void sleep(long ms) {
        io.lamina.it.Waits.sleep(ms);
    }

    /** The broker's own CLI, for users and virtual hosts (AMQP cannot make them). */
    public static void ctl(String... args) throws Exception {
        var cmd = new ArrayList<String>(List.of("rabbitmqctl", "-q"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
