package io.lamina.it.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * SDK v2 responses and errors as the JSON botocore would have produced for the same HTTP answer
 * (members by their model names, absent members left out, {@code ResponseMetadata.HTTPStatusCode}),
 * so they can be compared with responses recorded by botocore-based tests.
 */
final class SdkJson {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SdkJson() {
    }

    /** A response: its members plus {@code ResponseMetadata.HTTPStatusCode}. */
    static ObjectNode response(AwsResponse response) {
        ObjectNode o = pojo((SdkPojo) response);
        o.putObject("ResponseMetadata").put("HTTPStatusCode", response.sdkHttpResponse().statusCode());
        return o;
    }

    /**
     * An error as botocore parses it: {@code Error.Code}, {@code Error.Message}, the body's own
     * top-level fields ({@code Type}, {@code Message} or {@code message}, ...) and the status.
     */
    static ObjectNode error(AwsServiceException e) {
        ObjectNode o = NODES.objectNode();
        ObjectNode error = o.putObject("Error");
        error.put("Code", e.awsErrorDetails().errorCode());
        error.put("Message", e.awsErrorDetails().errorMessage());
        SdkBytes raw = e.awsErrorDetails().rawResponse();
        // botocore adds the body's fields only for errors the service model declares (Type, message...);
        // the SDK maps exactly those to their own exception classes.
        boolean modeled = e.getClass() != software.amazon.awssdk.services.lambda.model.LambdaException.class;
        if (modeled && raw != null && raw.asByteArray().length > 0) {
            try {
                JsonNode body = JSON.readTree(raw.asByteArray());
                if (body instanceof ObjectNode b) {
                    b.properties().forEach(p -> o.set(p.getKey(), p.getValue()));
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("error body is not JSON: " + raw.asUtf8String(), ex);
            }
        }
        o.putObject("ResponseMetadata").put("HTTPStatusCode", e.statusCode());
        return o;
    }

    static ObjectNode pojo(SdkPojo pojo) {
        ObjectNode o = NODES.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            JsonNode node = value(value);
            if (node != null) {
                o.set(field.memberName(), node);
            }
        }
        return o;
    }

    /** A member value, or null when the member is absent. */
    private static JsonNode value(Object v) {
        if (v == null || v instanceof SdkAutoConstructList<?> || v instanceof SdkAutoConstructMap<?, ?>) {
            return null;
        }
        if (v instanceof SdkPojo p) {
            return pojo(p);
        }
        if (v instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode();
            list.forEach(e -> a.add(value(e)));
            return a;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode m = NODES.objectNode();
            map.forEach((k, e) -> m.set(String.valueOf(k), value(e)));
            return m;
        }
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (v instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof SdkBytes bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes.asByteArray()));
        }
        return NODES.textNode(v.toString());
    }
}
