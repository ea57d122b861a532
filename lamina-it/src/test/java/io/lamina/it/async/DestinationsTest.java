package io.lamina.it.async;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.lamina.it.async.AsyncTestSupport.JSON;
import static io.lamina.it.async.AsyncTestSupport.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * OnSuccess / OnFailure destinations and the legacy dead-letter queue, end to end: the event goes in
 * through the Lambda API (AWS SDK), the record comes out of a real SQS-compatible server (ElasticMQ,
 * read back with the SDK's SqsClient), of another Lamina function, and of SNS and EventBridge
 * endpoints played by a local recorder (Lamina has no SNS or EventBridge of its own yet).
 */
class DestinationsTest {
    private static final String ACCOUNT = "000000000000";
    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:";
    private static io.lamina.it.ElasticMq mq;
    private static SqsClient sqs;
    private static HttpServer recorder;
    private static final List<Map<String, String>> recorded = new CopyOnWriteArrayList<>();
    private static LaminaFixture lamina;

    @TempDir
    static Path scratch;

    @BeforeAll
    static void start() throws IOException {
        mq = io.lamina.it.ElasticMq.start();
        URI sqsEndpoint = mq.endpoint();
        sqs = mq.client();
        recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/", DestinationsTest::record);
        recorder.start();
        URI recorderEndpoint = URI.create("http://127.0.0.1:" + recorder.getAddress().getPort());
        lamina = LaminaFixture.start(c -> c
                .withServiceEndpoints(Map.of("sqs", sqsEndpoint, "sns", recorderEndpoint, "events", recorderEndpoint))
                .withAsync(c.async().withRetryDelays(List.of(Duration.ofMillis(100), Duration.ofMillis(100)))
                        .withThrottleBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))));
        lamina.create("worker", Runtime.NODEJS20_X, "index.handler", AsyncTestSupport.recorder());
        // The destination function writes each record it receives to a file named in the code.
        lamina.create("catcher", Runtime.NODEJS20_X, "index.handler", Functions.node("""
                const fs = require('fs');
                exports.handler = async (event) => {
                  fs.appendFileSync(%s, JSON.stringify(event) + "\\n");
                };
                """.formatted(JSON.writeValueAsString(scratch.resolve("caught.jsonl").toString()))));
    }

    @AfterAll
    static void stop() {
        lamina.close();
        mq.close();
        recorder.stop(0);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void onSuccess_toAnSqsQueue_sendsAwsInvocationRecord() throws Exception {
        String queue = queue("success");
        putConfig("worker", null, b -> b.destinationConfig(d -> d.onSuccess(s -> s.destination(sqsArn("success")))));
        String payload = event(scratch.resolve("s.jsonl"), 11, false);
        String requestId = invokeEvent("worker", payload);

        JsonNode record = JSON.readTree(receive(queue).body());
        assertThat(fieldNames(record)).containsExactly("version", "timestamp", "requestContext", "requestPayload",
                "responseContext", "responsePayload");
        assertThat(record.get("version").asText()).isEqualTo("1.0");
        assertThat(record.get("timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(record.get("requestContext")).isEqualTo(JSON.readTree("{\"requestId\":\"" + requestId
                + "\",\"functionArn\":\"" + FUNCTION_ARN + "worker:$LATEST\",\"condition\":\"Success\","
                + "\"approximateInvokeCount\":1}"));
        assertThat(record.get("requestPayload")).isEqualTo(JSON.readTree(payload));
        assertThat(record.get("responseContext")).isEqualTo(JSON.readTree(
                "{\"statusCode\":200,\"executedVersion\":\"$LATEST\"}"));
        assertThat(record.get("responsePayload")).isEqualTo(JSON.readTree("{\"n\":11}"));
        removeConfig("worker");
    }

    @Test
    void onFailure_toAnSqsQueue_afterTheConfiguredRetries_isRetriesExhausted() throws Exception {
        String queue = queue("failure");
        putConfig("worker", null, b -> b.maximumRetryAttempts(1)
                .destinationConfig(d -> d.onFailure(f -> f.destination(sqsArn("failure")))));
        Path file = scratch.resolve("f.jsonl");
        String requestId = invokeEvent("worker", event(file, 12, true));

        JsonNode record = JSON.readTree(receive(queue).body());
        assertThat(record.get("requestContext").get("requestId").asText()).isEqualTo(requestId);
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.get("requestContext").get("approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(record.get("responseContext")).isEqualTo(JSON.readTree(
                "{\"statusCode\":200,\"executedVersion\":\"$LATEST\",\"functionError\":\"Unhandled\"}"));
        assertThat(record.get("responsePayload").get("errorType").asText()).isEqualTo("Error");
        assertThat(record.get("responsePayload").get("errorMessage").asText()).isEqualTo("boom 12");
        assertThat(AsyncTestSupport.lines(file)).hasSize(2);
        removeConfig("worker");
    }

    @Test
    void onFailure_toAnotherFunction_invokesItAsynchronouslyWithTheRecord() throws Exception {
        lamina.create("failing-to-fn", Runtime.NODEJS20_X, "index.handler", AsyncTestSupport.recorder());
        putConfig("failing-to-fn", null, b -> b.maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(f -> f.destination(FUNCTION_ARN + "catcher"))));
        String requestId = invokeEvent("failing-to-fn", event(scratch.resolve("g.jsonl"), 13, true));

        Path caught = scratch.resolve("caught.jsonl");
        JsonNode record = awaitLine(caught, r -> r.path("requestContext").path("requestId").asText().equals(requestId));
        assertThat(record.get("requestContext").get("functionArn").asText())
                .isEqualTo(FUNCTION_ARN + "failing-to-fn:$LATEST");
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.get("requestContext").get("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(record.get("responsePayload").get("errorMessage").asText()).isEqualTo("boom 13");
    }

    @Test
    void onSuccess_toAnSnsTopic_publishesTheRecord() throws Exception {
        lamina.create("to-topic", Runtime.NODEJS20_X, "index.handler", AsyncTestSupport.recorder());
        String topic = "arn:aws:sns:us-east-1:" + ACCOUNT + ":results";
        putConfig("to-topic", null, b -> b.destinationConfig(d -> d.onSuccess(s -> s.destination(topic))));
        String requestId = invokeEvent("to-topic", event(scratch.resolve("t.jsonl"), 14, false));

        Map<String, String> publish = awaitRecorded(r -> "Publish".equals(r.get("Action"))
                && r.getOrDefault("Message", "").contains(requestId));
        assertThat(publish.get("TopicArn")).isEqualTo(topic);
        JsonNode record = JSON.readTree(publish.get("Message"));
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("Success");
        assertThat(record.get("responsePayload")).isEqualTo(JSON.readTree("{\"n\":14}"));
    }

    @Test
    void onFailure_toAnEventBus_putsALambdaFailureEvent() throws Exception {
        lamina.create("to-bus", Runtime.NODEJS20_X, "index.handler", AsyncTestSupport.recorder());
        String bus = "arn:aws:events:us-east-1:" + ACCOUNT + ":event-bus/results";
        putConfig("to-bus", null, b -> b.maximumRetryAttempts(0)
                .destinationConfig(d -> d.onFailure(f -> f.destination(bus))));
        String requestId = invokeEvent("to-bus", event(scratch.resolve("b.jsonl"), 15, true));

        Map<String, String> put = awaitRecorded(r -> "AWSEvents.PutEvents".equals(r.get("X-Amz-Target"))
                && r.get("body").contains(requestId));
        JsonNode entry = JSON.readTree(put.get("body")).get("Entries").get(0);
        assertThat(entry.get("Source").asText()).isEqualTo("lambda");
        assertThat(entry.get("DetailType").asText()).isEqualTo("Lambda Function Invocation Result - Failure");
        assertThat(entry.get("EventBusName").asText()).isEqualTo(bus);
        JsonNode record = JSON.readTree(entry.get("Detail").asText());
        assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.get("responseContext").get("functionError").asText()).isEqualTo("Unhandled");
    }

    @Test
    void deadLetterQueue_receivesTheOriginalEvent_withRequestIdErrorCodeAndErrorMessage() throws Exception {
        String queue = queue("dlq");
        lamina.create(b -> b.functionName("with-dlq").runtime(Runtime.NODEJS20_X).handler("index.handler")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(AsyncTestSupport.recorder())))
                .deadLetterConfig(d -> d.targetArn(sqsArn("dlq"))));
        putConfig("with-dlq", null, b -> b.maximumRetryAttempts(0));
        String payload = event(scratch.resolve("d.jsonl"), 16, true);
        String requestId = invokeEvent("with-dlq", payload);

        Message m = receive(queue);
        assertThat(JSON.readTree(m.body())).isEqualTo(JSON.readTree(payload));
        Map<String, MessageAttributeValue> attrs = m.messageAttributes();
        assertThat(attrs.keySet()).containsExactlyInAnyOrder("RequestID", "ErrorCode", "ErrorMessage");
        assertThat(attrs.get("RequestID").dataType()).isEqualTo("String");
        assertThat(attrs.get("RequestID").stringValue()).isEqualTo(requestId);
        assertThat(attrs.get("ErrorCode").dataType()).isEqualTo("Number");
        assertThat(attrs.get("ErrorCode").stringValue()).isEqualTo("200");
        assertThat(attrs.get("ErrorMessage").dataType()).isEqualTo("String");
        assertThat(attrs.get("ErrorMessage").stringValue()).isEqualTo("boom 16");
    }

    @Test
    void aDestinationThatIsNotThereYet_isRetried_andGetsTheRecordOnceItExists() throws Exception {
        lamina.create("early", Runtime.NODEJS20_X, "index.handler", AsyncTestSupport.recorder());
        putConfig("early", null, b -> b.destinationConfig(d -> d.onSuccess(s -> s.destination(sqsArn("late")))));
        String requestId = invokeEvent("early", event(scratch.resolve("l.jsonl"), 17, false));
        // The queue does not exist yet: the delivery fails and the record waits in the store.
        long deadline = System.currentTimeMillis() + 5_000;
        while (status("early").map(s -> s.delivering()).orElse(0) != 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(status("early").orElseThrow().delivering()).isEqualTo(1);
        Thread.sleep(500);
        String queue = queue("late");
        JsonNode record = JSON.readTree(receive(queue).body());
        assertThat(record.get("requestContext").get("requestId").asText()).isEqualTo(requestId);
        deadline = System.currentTimeMillis() + 5_000;
        while (status("early").orElseThrow().delivering() != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(status("early").orElseThrow().delivering()).isZero();
        assertThat(status("early").orElseThrow().dropped()).isZero();
    }

    // ------------------------------------------------------------------ helpers

    private static Optional<io.lamina.core.async.AsyncStatus> status(String function) {
        return lamina.server().core().asyncQueue().status().stream()
                .filter(s -> s.functionName().equals(function)).findFirst();
    }

    private static String sqsArn(String name) {
        return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + name;
    }

    private static String queue(String name) {
        return sqs.createQueue(b -> b.queueName(name)).queueUrl();
    }

    private static void putConfig(String function, String qualifier,
            java.util.function.Consumer<software.amazon.awssdk.services.lambda.model.PutFunctionEventInvokeConfigRequest.Builder> config) {
        lamina.lambda().putFunctionEventInvokeConfig(b -> {
            b.functionName(function).qualifier(qualifier);
            config.accept(b);
        });
    }

    private static void removeConfig(String function) {
        lamina.lambda().deleteFunctionEventInvokeConfig(b -> b.functionName(function));
    }

    private static String invokeEvent(String function, String payload) {
        var r = lamina.lambda().invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload)));
        assertThat(r.statusCode()).isEqualTo(202);
        return r.responseMetadata().requestId();
    }

    private static Message receive(String queueUrl) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            var got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(1)
                    .messageAttributeNames("All"));
            if (got.hasMessages() && !got.messages().isEmpty()) {
                Message m = got.messages().getFirst();
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                return m;
            }
        }
        throw new AssertionError("no message on " + queueUrl + " within 15 s");
    }

    private static JsonNode awaitLine(Path file, java.util.function.Predicate<JsonNode> match) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(file)) {
                for (JsonNode line : AsyncTestSupport.lines(file)) {
                    if (match.test(line)) {
                        return line;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching line in " + file);
    }

    private static Map<String, String> awaitRecorded(java.util.function.Predicate<Map<String, String>> match)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            for (Map<String, String> r : recorded) {
                if (match.test(r)) {
                    return r;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching request recorded; got " + recorded);
    }

    private static List<String> fieldNames(JsonNode n) {
        var out = new java.util.ArrayList<String>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Answers as SNS (query protocol Publish) and EventBridge (JSON 1.1 PutEvents) do, and keeps the request. */
    private static void record(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        Map<String, String> r = new LinkedHashMap<>();
        r.put("body", body);
        String answer;
        String type;
        if ("AWSEvents.PutEvents".equals(target)) {
            r.put("X-Amz-Target", target);
            answer = "{\"Entries\":[{\"EventId\":\"6f3c6b5e-1d2a-4c1b-9b2e-2f0f9d8e7a61\"}],\"FailedEntryCount\":0}";
            type = "application/x-amz-json-1.1";
        } else {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    r.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            answer = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                    + "<MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>"
                    + "<ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId>"
                    + "</ResponseMetadata></PublishResponse>";
            type = "text/xml";
        }
        recorded.add(r);
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
