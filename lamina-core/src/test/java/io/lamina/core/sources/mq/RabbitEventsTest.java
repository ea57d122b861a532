package io.lamina.core.sources.mq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RabbitEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BROKER = "arn:aws:mq:us-west-2:112556298976:broker:test:b-9bcfa592-423a-4942-879d-eb284b418fc8";

    @Test
    void event_fromTheMessageOfAwsSample_isAwsSampleRabbitEvent() throws Exception {
        ObjectNode golden = (ObjectNode) JSON.readTree(
                Path.of(System.getProperty("lamina.golden.events"), "rabbitmq-event.json").toFile());
        var headers = new LinkedHashMap<String, Object>();
        headers.put("header1", LongStringHelper.asLongString("value1"));
        headers.put("header2", LongStringHelper.asLongString("value2"));
        headers.put("numberInHeader", 10);
        var props = new AMQP.BasicProperties.Builder().contentType("text/plain").headers(headers).deliveryMode(1)
                .priority(34).expiration("60000").timestamp(new Date(2021_000L)).userId("AIDACKCEVSQ6C2EXAMPLE").build();
        JsonNode goldenMessage = golden.at("/rmqMessagesByQueue/test::~1/0");
        byte[] body = Base64.getDecoder().decode(goldenMessage.get("data").asText());
        // AWS's sample is hand-edited: its bodySize (80) is not the length of its data (44 bytes). On the
        // wire the content header's body size is the body's length, which is what Lamina writes.
        ((ObjectNode) goldenMessage.get("basicProperties")).put("bodySize", body.length);

        JsonNode built = RabbitEvents.event(BROKER, RabbitEvents.queueKey("test", "/"),
                List.of(RabbitEvents.message(props, false, body)));

        assertThat(built).isEqualTo(golden);
        assertThat(fieldNames(built.at("/rmqMessagesByQueue/test::~1/0/basicProperties")))
                .isEqualTo(fieldNames(goldenMessage.get("basicProperties")));
    }

    @Test
    void message_unsetPropertiesAreNull_asGsonWithNullsWritesThem() {
        JsonNode m = RabbitEvents.message(new AMQP.BasicProperties(), true, "hi".getBytes(StandardCharsets.UTF_8));
        JsonNode bp = m.get("basicProperties");
        assertThat(fieldNames(bp)).containsExactly("contentType", "contentEncoding", "headers", "deliveryMode",
                "priority", "correlationId", "replyTo", "expiration", "messageId", "timestamp", "type", "userId",
                "appId", "clusterId", "bodySize");
        bp.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("bodySize")) {
                assertThat(e.getValue().isNull()).as(e.getKey()).isTrue();
            }
        });
        assertThat(bp.get("bodySize").asInt()).isEqualTo(2);
        assertThat(m.get("redelivered").asBoolean()).isTrue();
        assertThat(m.get("data").asText()).isEqualTo("aGk=");
    }

    @Test
    void message_headerValuesAreWrittenAsGsonWritesAmqpClientsJavaObjects() {
        var headers = new LinkedHashMap<String, Object>();
        headers.put("bin", LongStringHelper.asLongString(new byte[]{(byte) 0xC3, (byte) 0xA9}));
        headers.put("flag", true);
        headers.put("big", 1L << 40);
        headers.put("when", new Date(0));
        headers.put("nested", Map.of("k", LongStringHelper.asLongString("v")));
        headers.put("list", List.of(1, LongStringHelper.asLongString("x")));
        headers.put("none", null);
        var props = new AMQP.BasicProperties.Builder().headers(headers).timestamp(new Date(13 * 3600_000L + 5_000)).build();

        JsonNode bp = RabbitEvents.message(props, false, new byte[0]).get("basicProperties");

        assertThat(bp.at("/headers/bin/bytes").toString()).isEqualTo("[-61,-87]");
        assertThat(bp.at("/headers/flag").asBoolean()).isTrue();
        assertThat(bp.at("/headers/big").asLong()).isEqualTo(1L << 40);
        assertThat(bp.at("/headers/when").asText()).isEqualTo("Jan 1, 1970, 12:00:00 AM");
        assertThat(bp.at("/headers/nested/k/bytes").toString()).isEqualTo("[118]");
        assertThat(bp.at("/headers/list").toString()).isEqualTo("[1,{\"bytes\":[120]}]");
        assertThat(bp.at("/headers/none").isNull()).isTrue();
        assertThat(bp.get("timestamp").asText()).isEqualTo("Jan 1, 1970, 1:00:05 PM");
    }

    private static List<String> fieldNames(JsonNode n) {
        var out = new ArrayList<String>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
