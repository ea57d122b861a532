package io.lamina.apimodel;

/**
 * A member of a structure shape.
 *
 * @param name         the member name in the description ({@code FunctionName}); AWS reports it with its first
 *                     letter lower-cased ({@code functionName})
 * @param shape        the member's shape
 * @param location     where the member travels in the HTTP request
 * @param locationName the path label, query parameter or header name ({@code null} for body members)
 * @param required     the member is marked required
 */
public record Member(String name, Shape shape, Location location, String locationName, boolean required) {

    /** Where a member travels in the HTTP request. */
    public enum Location {
        /** A path label ({@code "uri": "<label>"} in the description). */
        URI("uri"),
        /** A query parameter ({@code "query": "<name>"}). */
        QUERY("query"),
        /** One header ({@code "header": "<name>"}). */
        HEADER("header"),
        /** The JSON body (no location), or the whole body when it is the operation's payload. */
        BODY(null);

        private final String key;

        Location(String key) {
            this.key = key;
        }

        /** The member field that names this location in the description; {@code null} for the body. */
        String key() {
            return key;
        }
    }

    /** The name AWS uses for this member in validation messages: {@code FunctionName} → {@code functionName}. */
    public String pathName() {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
