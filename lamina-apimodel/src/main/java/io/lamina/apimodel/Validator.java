package io.lamina.apimodel;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Checks a bound input against the API description's constraints and words each failure the way AWS's Coral
 * front end does. What the recorded responses (LocalStack's test_lambda_api.snapshot.json, recorded
 * against AWS) show, and this class follows:
 * <ul>
 * <li>{@code N validation error(s) detected: } then the violations joined by {@code "; "}.</li>
 * <li>Each violation: {@code Value '<v>' at '<path>' failed to satisfy constraint: <constraint>};
 *     {@code Value null at ...} for a missing required member; {@code Value at ...} (no value) for a
 *     sensitive shape.</li>
 * <li>Paths: member names with a lower-case first letter, joined by dots
 *     ({@code destinationConfig.onFailure.destination}); list elements that are structures as
 *     {@code list.<1-based index>.member.<member>} (Coral's form, seen in other AWS services).</li>
 * <li>Values: strings bare, numbers bare but quoted like strings ({@code Value '0'}), doubles as Java
 *     prints them ({@code 2.0}), lists as {@code [a, b]}, maps as {@code {k=v}}.</li>
 * <li>A list whose elements fail prints one violation for the whole list:
 *     {@code Member must satisfy constraint: [<every constraint of the element shape>, Member must not be null]};
 *     a map prints {@code Map keys must satisfy constraint: [...]} (no not-null) or
 *     {@code Map value must satisfy constraint: [..., Member must not be null]}. Inside the brackets the
 *     order is max length, min length, max value, min value, pattern, enum, not null.</li>
 * <li>Numbers in constraints: integers bare, doubles as {@code 1.0}.</li>
 * </ul>
 * Not shown by any Lambda recording, so chosen from other Coral services' messages: members are
 * checked in description order, depth first (the one Lambda response with two violations agrees); when one
 * member fails several constraints they are reported pattern first, then length, then value range,
 * then enum (DynamoDB and Firehose print the pattern before the length).
 */
final class Validator {

    private final Set<String> excluded;
    private final List<Violation> violations = new ArrayList<>();

    private Validator(Set<String> excluded) {
        this.excluded = excluded;
    }

    static ValidationResult validate(Shape input, JsonNode value, Set<String> excludedPaths) {
        Validator v = new Validator(excludedPaths);
        if (input != null && value != null) {
            v.structure(input, value, "");
        }
        return new ValidationResult(v.violations);
    }

    private boolean isExcluded(String path) {
        for (String e : excluded) {
            if (path.equals(e) || path.startsWith(e + ".")) {
                return true;
            }
        }
        return false;
    }

    private void structure(Shape s, JsonNode obj, String prefix) {
        for (Member m : s.members().values()) {
            String path = prefix + m.pathName();
            if (isExcluded(path)) {
                continue;
            }
            JsonNode v = obj.get(m.name());
            if (v == null || v.isNull() || v.isMissingNode()) {
                if (m.required()) {
                    violations.add(Violation.of(path, null, Violation.Kind.REQUIRED, "Member must not be null"));
                }
                continue;
            }
            value(m.shape(), v, path);
        }
    }

    private void value(Shape s, JsonNode v, String path) {
        // The member's own constraints.
        if (s.type() == Shape.Type.STRING && s.compiledPattern() != null
                && !s.compiledPattern().matcher(v.asText()).matches()) {
            add(s, v, path, Violation.Kind.PATTERN, "Member must satisfy regular expression pattern: " + s.pattern().orElseThrow());
        }
        Long length = length(s, v);
        if (length != null) {
            if (s.rawMax() != null && length > s.rawMax()) {
                add(s, v, path, Violation.Kind.LENGTH_MAX, "Member must have length less than or equal to " + bound(s, s.rawMax(), true));
            }
            if (s.rawMin() != null && length < s.rawMin()) {
                add(s, v, path, Violation.Kind.LENGTH_MIN, "Member must have length greater than or equal to " + bound(s, s.rawMin(), true));
            }
        }
        if (s.isNumber() && v.isNumber()) {
            BigDecimal n = v.decimalValue();
            if (s.rawMax() != null && n.compareTo(BigDecimal.valueOf(s.rawMax())) > 0) {
                add(s, v, path, Violation.Kind.VALUE_MAX, "Member must have value less than or equal to " + bound(s, s.rawMax(), false));
            }
            if (s.rawMin() != null && n.compareTo(BigDecimal.valueOf(s.rawMin())) < 0) {
                add(s, v, path, Violation.Kind.VALUE_MIN, "Member must have value greater than or equal to " + bound(s, s.rawMin(), false));
            }
        }
        if (!s.enumValues().isEmpty() && v.isTextual() && !s.enumValues().contains(v.asText())) {
            add(s, v, path, Violation.Kind.ENUM, "Member must satisfy enum value set: " + enumSet(s));
        }

        // The elements' constraints.
        switch (s.type()) {
            case STRUCTURE -> structure(s, v, path + ".");
            case LIST -> {
                Shape element = s.element().orElseThrow();
                if (element.type() == Shape.Type.STRUCTURE) {
                    int i = 1;
                    for (JsonNode e : v) {
                        String elementPath = path + "." + i + ".member";
                        if (e == null || e.isNull()) {
                            add(element, e, elementPath, Violation.Kind.REQUIRED, "Member must not be null");
                        } else {
                            structure(element, e, elementPath + ".");
                        }
                        i++;
                    }
                } else {
                    boolean nullable = s.elementNullable();
                    for (JsonNode e : v) {
                        if ((e == null || e.isNull()) ? !nullable : !scalarOk(element, e)) {
                            add(s, v, path, Violation.Kind.LIST_ELEMENT,
                                    "Member must satisfy constraint: " + constraintList(element, !nullable));
                            break;
                        }
                    }
                }
            }
            case MAP -> {
                Shape key = s.key().orElseThrow();
                Shape value = s.value().orElseThrow();
                Iterator<Map.Entry<String, JsonNode>> entries = v.properties().iterator();
                boolean keyFailed = false;
                boolean valueFailed = false;
                while (entries.hasNext()) {
                    Map.Entry<String, JsonNode> e = entries.next();
                    keyFailed |= !scalarOk(key, com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()));
                    JsonNode ev = e.getValue();
                    valueFailed |= ev == null || ev.isNull() || !scalarOk(value, ev);
                }
                if (keyFailed) {
                    add(s, v, path, Violation.Kind.MAP_KEY, "Map keys must satisfy constraint: " + constraintList(key, false));
                }
                if (valueFailed) {
                    add(s, v, path, Violation.Kind.MAP_VALUE, "Map value must satisfy constraint: " + constraintList(value, true));
                }
            }
            default -> { }
        }
    }

    /** Whether a list element or map key/value meets its own constraints (nested aggregates: their length). */
    private static boolean scalarOk(Shape s, JsonNode v) {
        if (s.type() == Shape.Type.STRING && s.compiledPattern() != null && !s.compiledPattern().matcher(v.asText()).matches()) {
            return false;
        }
        Long length = length(s, v);
        if (length != null && ((s.rawMax() != null && length > s.rawMax()) || (s.rawMin() != null && length < s.rawMin()))) {
            return false;
        }
        if (s.isNumber() && v.isNumber()) {
            BigDecimal n = v.decimalValue();
            if ((s.rawMax() != null && n.compareTo(BigDecimal.valueOf(s.rawMax())) > 0)
                    || (s.rawMin() != null && n.compareTo(BigDecimal.valueOf(s.rawMin())) < 0)) {
                return false;
            }
        }
        return s.enumValues().isEmpty() || !v.isTextual() || s.enumValues().contains(v.asText());
    }

    /** {@code [Member must have length less than or equal to 1024, ..., Member must not be null]}. */
    private static String constraintList(Shape s, boolean notNull) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        boolean lengthKind = !s.isNumber();
        if (s.rawMax() != null) {
            j.add(lengthKind ? "Member must have length less than or equal to " + bound(s, s.rawMax(), true)
                    : "Member must have value less than or equal to " + bound(s, s.rawMax(), false));
        }
        if (s.rawMin() != null) {
            j.add(lengthKind ? "Member must have length greater than or equal to " + bound(s, s.rawMin(), true)
                    : "Member must have value greater than or equal to " + bound(s, s.rawMin(), false));
        }
        s.pattern().ifPresent(p -> j.add("Member must satisfy regular expression pattern: " + p));
        if (!s.enumValues().isEmpty()) {
            j.add("Member must satisfy enum value set: " + enumSet(s));
        }
        if (notNull) {
            j.add("Member must not be null");
        }
        return j.toString();
    }

    private static String enumSet(Shape s) {
        return "[" + String.join(", ", s.enumValues()) + "]";
    }

    /** A bound as AWS prints it: a length or an integer bare, a double as Java prints it ({@code 1.0}). */
    private static String bound(Shape s, double b, boolean length) {
        if (!length && s.isFloatingPoint()) {
            return Double.toString(b);
        }
        return Long.toString((long) b);
    }

    /** The length AWS checks: characters of a string, bytes of a blob, elements of a list or map. */
    private static Long length(Shape s, JsonNode v) {
        return switch (s.type()) {
            case STRING -> v.isTextual() ? (long) v.asText().length() : null;
            case LIST -> v.isArray() ? (long) v.size() : null;
            case MAP -> v.isObject() ? (long) v.size() : null;
            case BLOB -> blobLength(v);
            default -> null;
        };
    }

    private static Long blobLength(JsonNode v) {
        if (v.isBinary()) {
            return (long) ((com.fasterxml.jackson.databind.node.BinaryNode) v).binaryValue().length;
        }
        if (v.isTextual()) {
            try {
                return (long) Base64.getMimeDecoder().decode(v.asText()).length;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private void add(Shape s, JsonNode v, String path, Violation.Kind kind, String constraint) {
        if (s.sensitive()) {
            violations.add(Violation.hidden(path, kind, constraint));
        } else {
            violations.add(Violation.of(path, v == null || v.isNull() ? null : ValueRenderer.render(s, v), kind, constraint));
        }
    }
}
