package io.lamina.apimodel;

import java.util.Map;

/**
 * A request line resolved to an operation.
 *
 * @param operation      the operation
 * @param pathParameters the path labels of the template, percent-decoded, keyed by label name
 *                       ({@code FunctionName} → {@code arn:aws:lambda:us-east-1:123456789012:function:f})
 */
public record RouteMatch(Operation operation, Map<String, String> pathParameters) {

    public RouteMatch {
        pathParameters = Map.copyOf(pathParameters);
    }
}
