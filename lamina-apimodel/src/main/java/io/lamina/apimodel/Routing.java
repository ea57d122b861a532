package io.lamina.apimodel;

import java.util.Set;

/**
 * What a request line resolves to. AWS distinguishes a path no operation has from a path that exists
 * with another method; the caller answers each (see {@link LambdaApiModel#route}).
 */
public sealed interface Routing {

    /** The request line names an operation. */
    record Matched(RouteMatch match) implements Routing { }

    /**
     * The path matches operations, none with this method.
     *
     * @param allowedMethods the methods the path has, for an {@code Allow} header
     */
    record MethodNotAllowed(Set<String> allowedMethods) implements Routing {
        public MethodNotAllowed {
            allowedMethods = Set.copyOf(allowedMethods);
        }
    }

    /** No operation has this path. */
    record NotFound() implements Routing { }
}
