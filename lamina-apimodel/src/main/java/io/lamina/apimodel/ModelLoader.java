package io.lamina.apimodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Lamina's description of the Lambda API ({@value #RESOURCE}) into shapes and operations. Its
 * constraints mirror AWS's published model of the API; its format is Lamina's own:
 *
 * <pre>{@code
 * {
 *   "_about": [...],                       ignored
 *   "apiVersion": "2015-03-31", "protocol": "rest-json",
 *   "operations": {                        in routing/listing order
 *     "Invoke": {
 *       "http": "POST /2015-03-31/functions/{FunctionName}/invocations",   method and request URI template
 *       "status": 200,                     the success status
 *       "input": "InvocationRequest",      the input structure's name; its members follow inline
 *       "payload": "Payload",              optional: the member bound to the raw body
 *       "notValidated": ["runtime"],       optional: member paths AWS does not report as ValidationException
 *       "members": { <name>: <member>, ... }  in the order AWS checks them
 *     }, ...
 *   },
 *   "types": {                             every type a member refers to, by name
 *     "MemorySize": {"type": "integer", "min": 128, "max": 32768},
 *     "Runtime":    {"type": "string", "enum": [...]},
 *     "SubnetIds":  {"type": "list", "element": "SubnetId", "max": 16, "elementNullable": true},
 *     "Tags":       {"type": "map", "key": "TagKey", "value": "TagValue"},
 *     "VpcConfig":  {"type": "structure", "members": {...}}, ...
 *   }
 * }
 * <member>: {"type": <type name>, "uri" | "query" | "header": <label / parameter / header name>,
 *            "required": true}       no location: a JSON body member; "required" only when true
 * }</pre>
 *
 * Type kinds: {@code string integer long float double boolean timestamp blob list map structure}. A type
 * may have {@code min}, {@code max} (a length for strings, blobs, lists and maps, else a value),
 * {@code pattern}, {@code enum} (in the order AWS prints it), {@code sensitive} (never echoed) and, on a
 * list, {@code elementNullable} (AWS does not add "Member must not be null" to its element constraints).
 * An {@code observed} object on an operation or type names the fields whose values come from responses
 * of the live endpoint rather than the published constraints, each with its evidence; it is checked here
 * but has no other effect. Unknown fields are rejected.
 */
final class ModelLoader {

    static final String RESOURCE = "lambda-api.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> TOP_FIELDS = Set.of("_about", "apiVersion", "protocol", "operations", "types");
    private static final Set<String> OPERATION_FIELDS =
            Set.of("http", "status", "input", "payload", "notValidated", "observed", "members");
    private static final Set<String> TYPE_FIELDS = Set.of("type", "min", "max", "pattern", "enum", "sensitive",
            "element", "elementNullable", "key", "value", "members", "observed");
    private static final Set<String> MEMBER_FIELDS = Set.of("type", "uri", "query", "header", "required");

    /** What was loaded: shapes by name, operations in file order, per-operation excluded member paths. */
    record Loaded(ObjectNode metadata, Map<String, Shape> shapes, List<Operation> operations,
                  Map<String, Set<String>> notValidated) { }

    private ModelLoader() { }

    static JsonNode readResource(String name) {
        try (InputStream in = ModelLoader.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource io/lamina/apimodel/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    static Loaded load(JsonNode description) {
        checkFields(description, TOP_FIELDS, "the description");
        JsonNode types = description.path("types");
        JsonNode ops = description.path("operations");

        // Every shape first (members refer to each other), then their members.
        Map<String, Shape> shapes = new LinkedHashMap<>();
        types.properties().forEach(e -> {
            checkFields(e.getValue(), TYPE_FIELDS, "type " + e.getKey());
            checkObserved(e.getValue(), "type " + e.getKey());
            shapes.put(e.getKey(), newShape(e.getKey(), e.getValue()));
        });
        ops.properties().forEach(e -> {
            JsonNode op = e.getValue();
            checkFields(op, OPERATION_FIELDS, "operation " + e.getKey());
            checkObserved(op, "operation " + e.getKey());
            if (op.has("input")) {
                String name = op.get("input").asText();
                if (shapes.containsKey(name)) {
                    throw new IllegalStateException("operation " + e.getKey() + ": input " + name + " is also a type");
                }
                shapes.put(name, newInputShape(name, op));
            } else if (op.has("members") || op.has("payload")) {
                throw new IllegalStateException("operation " + e.getKey() + " has members but no input name");
            }
        });
        types.properties().forEach(e -> resolve(shapes, shapes.get(e.getKey()), e.getValue()));

        List<Operation> operations = new ArrayList<>();
        Map<String, Set<String>> notValidated = new LinkedHashMap<>();
        ops.properties().forEach(e -> {
            String name = e.getKey();
            JsonNode op = e.getValue();
            Optional<Shape> input = Optional.empty();
            if (op.has("input")) {
                Shape s = shapes.get(op.get("input").asText());
                resolve(shapes, s, op);
                s.payloadMember().filter(p -> !s.members().containsKey(p)).ifPresent(p -> {
                    throw new IllegalStateException("operation " + name + ": payload " + p + " is not a member");
                });
                input = Optional.of(s);
            }
            String[] http = op.path("http").asText().split(" ", 2);
            if (http.length != 2 || !http[1].startsWith("/")) {
                throw new IllegalStateException("operation " + name + ": http must read \"METHOD /uri\", not "
                        + op.path("http"));
            }
            operations.add(new Operation(name, http[0].toUpperCase(Locale.ROOT), http[1],
                    op.path("status").asInt(200), input));
            if (op.has("notValidated")) {
                Set<String> paths = new LinkedHashSet<>();
                op.get("notValidated").forEach(p -> paths.add(p.asText()));
                notValidated.put(name, Set.copyOf(paths));
            }
        });

        ObjectNode metadata = JSON.createObjectNode();
        for (String k : new String[] {"apiVersion", "protocol"}) {
            if (description.has(k)) {
                metadata.put(k, description.get(k).asText());
            }
        }
        return new Loaded(metadata, Map.copyOf(shapes), List.copyOf(operations), Map.copyOf(notValidated));
    }

    private static void checkFields(JsonNode node, Set<String> allowed, String what) {
        if (!node.isObject()) {
            throw new IllegalStateException(what + " is not a JSON object");
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new IllegalStateException(what + ": unknown field " + f);
            }
        });
    }

    /** {@code observed} may only annotate fields the object has. */
    private static void checkObserved(JsonNode node, String what) {
        node.path("observed").fieldNames().forEachRemaining(f -> {
            if (f.equals("observed") || !node.has(f)) {
                throw new IllegalStateException(what + ": observed names absent field " + f);
            }
        });
    }

    private static Shape shape(Map<String, Shape> shapes, String name, String where) {
        Shape s = shapes.get(name);
        if (s == null) {
            throw new IllegalStateException(where + " refers to missing type " + name);
        }
        return s;
    }

    private static Set<String> requiredMembers(JsonNode json) {
        Set<String> required = new LinkedHashSet<>();
        json.path("members").properties().forEach(e -> {
            if (e.getValue().path("required").asBoolean(false)) {
                required.add(e.getKey());
            }
        });
        return required;
    }

    private static Shape newShape(String name, JsonNode json) {
        List<String> enumValues = new ArrayList<>();
        json.path("enum").forEach(v -> enumValues.add(v.asText()));
        return new Shape(
                name,
                Shape.Type.of(json.path("type").asText()),
                json.has("min") ? json.get("min").asDouble() : null,
                json.has("max") ? json.get("max").asDouble() : null,
                json.has("pattern") ? json.get("pattern").asText() : null,
                enumValues,
                json.path("sensitive").asBoolean(false),
                json.path("elementNullable").asBoolean(false),
                null,
                requiredMembers(json));
    }

    private static Shape newInputShape(String name, JsonNode op) {
        return new Shape(name, Shape.Type.STRUCTURE, null, null, null, List.of(), false, false,
                op.has("payload") ? op.get("payload").asText() : null, requiredMembers(op));
    }

    /** Resolves a structure's members, a list's element or a map's key and value. */
    private static void resolve(Map<String, Shape> shapes, Shape shape, JsonNode json) {
        String where = "type " + shape.name();
        LinkedHashMap<String, Member> members = new LinkedHashMap<>();
        json.path("members").properties().forEach(e -> {
            JsonNode m = e.getValue();
            String memberWhere = where + " member " + e.getKey();
            checkFields(m, MEMBER_FIELDS, memberWhere);
            Member.Location location = Member.Location.BODY;
            String locationName = null;
            for (Member.Location l : Member.Location.values()) {
                if (l.key() != null && m.has(l.key())) {
                    if (locationName != null) {
                        throw new IllegalStateException(memberWhere + " has two locations");
                    }
                    location = l;
                    locationName = m.get(l.key()).asText();
                }
            }
            members.put(e.getKey(), new Member(e.getKey(), shape(shapes, m.path("type").asText(), memberWhere),
                    location, locationName, shape.required().contains(e.getKey())));
        });
        boolean list = shape.type() == Shape.Type.LIST;
        boolean map = shape.type() == Shape.Type.MAP;
        if (list != json.has("element") || map != json.has("key") || map != json.has("value")
                || (shape.type() != Shape.Type.STRUCTURE && json.has("members"))) {
            throw new IllegalStateException(where + ": fields do not fit its type " + shape.type());
        }
        shape.resolve(members,
                list ? shape(shapes, json.get("element").asText(), where) : null,
                map ? shape(shapes, json.get("key").asText(), where) : null,
                map ? shape(shapes, json.get("value").asText(), where) : null);
    }
}
