package io.lamina.apimodel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * A request bound to its operation's input shape.
 *
 * @param operation     the operation
 * @param input         the input, keyed by the model's member names ({@code FunctionName},
 *                      {@code MemorySize}, ...), each value of its member's JSON type: strings, numbers,
 *                      booleans, arrays, objects; a blob in a JSON body stays its base64 text; a
 *                      timestamp is epoch seconds. Absent members are absent (a JSON {@code null} for a
 *                      member counts as absent); {@code null} elements of lists and maps are kept, for
 *                      the validator to report.
 * @param payloadMember the member bound to the raw body (Invoke's {@code Payload}), not parsed here: the
 *                      caller reads {@link #payload()}. When the body is not empty the input also holds
 *                      that member as a binary node, so that required-checks see it.
 * @param payload       the raw body when {@code payloadMember} is present, else empty
 */
public record BoundInput(Operation operation, ObjectNode input, Optional<String> payloadMember, byte[] payload) {
}
