package io.lamina.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.core.errors.LambdaException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed reads of a bound, validated operation input (members by their model names). */
record Input(ObjectNode node) {

    Optional<String> string(String member) {
        JsonNode n = node.get(member);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    }

    String required(String member) {
        return string(member).orElseThrow(() -> new IllegalStateException("validated input lacks " + member));
    }

    Optional<Integer> integer(String member) {
        JsonNode n = node.get(member);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (n.isNumber() && !n.canConvertToInt()) {
            // The model's integers are 32-bit; a larger number must not wrap around into a small one.
            throw LambdaException.validation("1 validation error detected: Value '" + n.asText() + "' at '"
                    + Character.toLowerCase(member.charAt(0)) + member.substring(1)
                    + "' failed to satisfy constraint: Member must have value less than or equal to " + Integer.MAX_VALUE);
        }
        return Optional.of(n.asInt());
    }

    boolean bool(String member) {
        JsonNode n = node.get(member);
        return n != null && n.asBoolean();
    }

    Optional<ObjectNode> object(String member) {
        JsonNode n = node.get(member);
        return n instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
    }

    Optional<Input> nested(String member) {
        return object(member).map(Input::new);
    }

    Optional<Map<String, String>> stringMap(String member) {
        return object(member).map(o -> {
            var m = new LinkedHashMap<String, String>();
            o.properties().forEach(e -> m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
            return m;
        });
    }

    Optional<List<String>> stringList(String member) {
        JsonNode n = node.get(member);
        if (n == null || !n.isArray()) {
            return Optional.empty();
        }
        var out = new ArrayList<String>();
        n.forEach(e -> out.add(e.asText()));
        return Optional.of(out);
    }
}
