package io.lamina.apimodel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A type of the API description: an entry of its {@code types} table, or an operation's input structure.
 * Immutable once the description is loaded; shapes refer to each other, so a structure's members, a
 * list's element and a map's key/value are resolved shapes.
 */
public final class Shape {

    /** Type kinds, as the description names them in lower case. */
    public enum Type { STRUCTURE, LIST, MAP, STRING, INTEGER, LONG, FLOAT, DOUBLE, BOOLEAN, TIMESTAMP, BLOB;

        static Type of(String kind) {
            return switch (kind) {
                case "structure" -> STRUCTURE;
                case "list" -> LIST;
                case "map" -> MAP;
                case "string" -> STRING;
                case "integer" -> INTEGER;
                case "long" -> LONG;
                case "float" -> FLOAT;
                case "double" -> DOUBLE;
                case "boolean" -> BOOLEAN;
                case "timestamp" -> TIMESTAMP;
                case "blob" -> BLOB;
                default -> throw new IllegalArgumentException("unsupported type " + kind);
            };
        }
    }

    private final String name;
    private final Type type;
    private final Double min;
    private final Double max;
    private final String pattern;
    private final Pattern compiledPattern;
    private final List<String> enumValues;
    private final boolean sensitive;
    private final boolean elementNullable;
    private final String payloadMember;
    private final Set<String> required;
    // Resolved after every shape exists (shapes may refer to each other).
    private Map<String, Member> members = Map.of();
    private Shape element;
    private Shape key;
    private Shape value;

    Shape(String name, Type type, Double min, Double max, String pattern, List<String> enumValues,
          boolean sensitive, boolean elementNullable, String payloadMember, Set<String> required) {
        this.name = name;
        this.type = type;
        this.min = min;
        this.max = max;
        this.pattern = pattern;
        this.compiledPattern = pattern == null ? null : Pattern.compile(pattern);
        this.enumValues = List.copyOf(enumValues);
        this.sensitive = sensitive;
        this.elementNullable = elementNullable;
        this.payloadMember = payloadMember;
        this.required = Set.copyOf(required);
    }

    void resolve(LinkedHashMap<String, Member> members, Shape element, Shape key, Shape value) {
        this.members = Collections.unmodifiableMap(members);
        this.element = element;
        this.key = key;
        this.value = value;
    }

    public String name() { return name; }

    public Type type() { return type; }

    /** Structure members in description order (the order AWS checks and reports them). */
    public Map<String, Member> members() { return members; }

    /** Names of the structure's required members. */
    public Set<String> required() { return required; }

    /** The element shape of a list. */
    public Optional<Shape> element() { return Optional.ofNullable(element); }

    public Optional<Shape> key() { return Optional.ofNullable(key); }

    public Optional<Shape> value() { return Optional.ofNullable(value); }

    /** {@code min}: a length for strings, blobs, lists and maps, a value for numbers. */
    public OptionalDouble min() { return min == null ? OptionalDouble.empty() : OptionalDouble.of(min); }

    /** {@code max}: a length for strings, blobs, lists and maps, a value for numbers. */
    public OptionalDouble max() { return max == null ? OptionalDouble.empty() : OptionalDouble.of(max); }

    /** The regular expression a string must match entirely. */
    public Optional<String> pattern() { return Optional.ofNullable(pattern); }

    /** Enum values, in the order AWS prints them. Empty for a non-enum shape. */
    public List<String> enumValues() { return enumValues; }

    /** Values of this shape are never echoed in error messages. */
    public boolean sensitive() { return sensitive; }

    /** For an operation's input: the member bound to the whole HTTP body ({@code payload}). */
    public Optional<String> payloadMember() { return Optional.ofNullable(payloadMember); }

    boolean isNumber() {
        return type == Type.INTEGER || type == Type.LONG || type == Type.FLOAT || type == Type.DOUBLE;
    }

    boolean isFloatingPoint() { return type == Type.FLOAT || type == Type.DOUBLE; }

    boolean elementNullable() { return elementNullable; }

    Pattern compiledPattern() { return compiledPattern; }

    Double rawMin() { return min; }

    Double rawMax() { return max; }

    @Override
    public String toString() { return "Shape[" + name + ":" + type + "]"; }
}
