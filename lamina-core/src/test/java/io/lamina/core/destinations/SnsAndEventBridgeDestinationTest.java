package io.lamina.core.destinations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lamina.core.destinations.DestinationRecord.Condition;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a recorder that answers as SNS (AWS query protocol, which SDK 2.57.8's SNS client still
 * speaks) and EventBridge (JSON 1.1, {@code X-Amz-Target: AWSEvents.PutEvents}) answer.
 */
class SnsAndEventBridgeDestinationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:results";
    static final String BUS = "arn:aws:events:us-east-1:000000000000:event-bus/results";

    record Recorded(String contentType, String target, String body) {
    }

    final List<Recorded> requests = new CopyOnWriteArrayList<>();
    volatile String putEventsAnswer = "{\"Entries\":[{\"EventId\":\"11710aed-b79e-4468-a20b-bb3c0c3b4860\"}],\"FailedEntryCount\":0}";
    HttpServer server;
    Destinations destinations;

    @BeforeEach
    void startRecorder() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        destinations = SqsDestinationTest.destinations(Map.of("sns", endpoint, "events", endpoint));
    }

    @AfterEach
    void stopRecorder() {
        destinations.close();
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        requests.add(new Recorded(exchange.getRequestHeaders().getFirst("Content-Type"), target, body));
        String answer;
        String type;
        if (target.equals("AWSEvents.PutEvents")) {
            answer = putEventsAnswer;
            type = "application/x-amz-json-1.1";
        } else {
            answer = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                    + "<MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>"
                    + "<ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId>"
                    + "</ResponseMetadata></PublishResponse>";
            type = "text/xml";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void deliver_toATopic_publishesTheRecordJsonAsTheMessage() {
        DestinationRecord record = ArnRoutedDestinationsTest.record(Condition.Success);

        destinations.deliver(TOPIC, record);

        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(form(requests.get(0).body())).isEqualTo(Map.of(
                "Action", "Publish", "Version", "2010-03-31", "TopicArn", TOPIC, "Message", record.toJson()));
    }

    @Test
    void deadLetter_toATopic_publishesTheEventWithTheThreeMessageAttributes() {
        DeadLetter letter = new DeadLetter("{\"raise_error\":1}".getBytes(StandardCharsets.UTF_8),
                "7b5d3ae4-0000-4000-8000-000000000003", 200, "intentional failure");

        destinations.deadLetter(TOPIC, letter);

        Map<String, String> form = form(requests.get(0).body());
        assertThat(form).containsEntry("Action", "Publish").containsEntry("TopicArn", TOPIC)
                .containsEntry("Message", "{\"raise_error\":1}");
        assertThat(messageAttributes(form)).isEqualTo(Map.of(
                "RequestID", List.of("String", "7b5d3ae4-0000-4000-8000-000000000003"),
                "ErrorCode", List.of("Number", "200"),
                "ErrorMessage", List.of("String", "intentional failure")));
    }

    @Test
    void deliver_toABus_putsOneEventWithTheRecordAsDetail() throws IOException {
        DestinationRecord record = ArnRoutedDestinationsTest.record(Condition.Success);

        destinations.deliver(BUS, record);

        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).target()).isEqualTo("AWSEvents.PutEvents");
        assertThat(requests.get(0).contentType()).isEqualTo("application/x-amz-json-1.1");
        JsonNode entries = JSON.readTree(requests.get(0).body()).get("Entries");
        assertThat(entries).hasSize(1);
        JsonNode entry = entries.get(0);
        assertThat(entry.get("Source").asText()).isEqualTo("lambda");
        assertThat(entry.get("DetailType").asText()).isEqualTo("Lambda Function Invocation Result - Success");
        assertThat(entry.get("Detail").asText()).isEqualTo(record.toJson());
        assertThat(entry.get("EventBusName").asText()).isEqualTo(BUS);
        assertThat(JSON.convertValue(entry.get("Resources"), List.class))
                .isEqualTo(List.of(BUS, ArnRoutedDestinationsTest.FUNCTION));
    }

    @Test
    void deliver_whenPutEventsRefusesTheEntry_isADeliveryException() {
        putEventsAnswer = "{\"Entries\":[{\"ErrorCode\":\"InternalFailure\",\"ErrorMessage\":\"Try again\"}],"
                + "\"FailedEntryCount\":1}";

        assertThatThrownBy(() -> destinations.deliver(BUS, ArnRoutedDestinationsTest.record(Condition.RetriesExhausted)))
                .isInstanceOf(DeliveryException.class)
                .hasMessage("EventBridge PutEvents to " + BUS + " refused the event: InternalFailure: Try again");
        assertThat(requests.get(0).body()).contains("Lambda Function Invocation Result - Failure");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    /** {@code MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue} as name → [type, value]. */
    private static Map<String, List<String>> messageAttributes(Map<String, String> form) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (int n = 1; form.containsKey("MessageAttributes.entry." + n + ".Name"); n++) {
            String prefix = "MessageAttributes.entry." + n + ".";
            attributes.put(form.get(prefix + "Name"), new ArrayList<>(List.of(
                    form.get(prefix + "Value.DataType"), form.get(prefix + "Value.StringValue"))));
        }
        return attributes;
    }
}
