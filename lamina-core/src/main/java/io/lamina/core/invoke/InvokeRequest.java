package io.lamina.core.invoke;

import java.util.Optional;

/**
 * One Invoke call as the caller made it.
 *
 * @param functionName  name, partial ARN or ARN, possibly with {@code :qualifier}
 * @param clientContext {@code X-Amz-Client-Context}: base64 of a JSON document
 * @param traceId       {@code X-Amzn-Trace-Id}, if the caller sent one
 */
public record InvokeRequest(String functionName, Optional<String> qualifier, InvocationType type, byte[] payload,
                            boolean tailLog, Optional<String> clientContext, Optional<String> traceId) {

    public static InvokeRequest sync(String functionName, byte[] payload) {
        return new InvokeRequest(functionName, Optional.empty(), InvocationType.RequestResponse, payload, false,
                Optional.empty(), Optional.empty());
    }
}
