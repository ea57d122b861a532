package io.lamina.apimodel;

import java.util.Optional;

/**
 * An operation of the API description.
 *
 * @param name          {@code CreateFunction}
 * @param method        the HTTP method, upper case
 * @param requestUri    the request URI template, e.g. {@code /2015-03-31/functions/{FunctionName}/invocations}
 * @param successStatus the HTTP status of a successful answer
 * @param input         the input structure, if the operation takes one
 */
public record Operation(String name, String method, String requestUri, int successStatus, Optional<Shape> input) {

    /** The input member bound to the raw HTTP body (Invoke's {@code Payload}), if there is one. */
    public Optional<Member> payloadMember() {
        return input.flatMap(s -> s.payloadMember().map(m -> s.members().get(m)));
    }
}
