package io.lamina.server.api;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.lamina.core.invoke.InvocationType;
import io.lamina.core.invoke.InvokeRequest;
import io.lamina.core.invoke.Invoker;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The common Invoke request, recognised without the generic model binding: a plain function name,
 * an optional simple {@code Qualifier}, the usual headers. Anything it cannot prove valid by these
 * cheap checks goes the generic way, so every error is still worded by the model validator.
 */
final class InvokeFastPath {
    static final String PREFIX = "/2015-03-31/functions/";
    static final String SUFFIX = "/invocations";
    private static final HeaderName INVOCATION_TYPE = HeaderNames.create("X-Amz-Invocation-Type");
    private static final HeaderName LOG_TYPE = HeaderNames.create("X-Amz-Log-Type");
    private static final HeaderName CLIENT_CONTEXT = HeaderNames.create("X-Amz-Client-Context");
    static final HeaderName TRACE_ID = HeaderNames.create("X-Amzn-Trace-Id");
    private static final Pattern SIMPLE_QUALIFIER = Pattern.compile("Qualifier=([a-zA-Z0-9_-]{1,128}|%24LATEST)");

    private InvokeFastPath() {
    }

    /** The Invoke request this is, if it is the common kind; empty means: take the generic path. */
    static Optional<InvokeRequest> recognise(ServerRequest req, String method, String rawPath) {
        if (!"POST".equals(method) || !rawPath.startsWith(PREFIX) || !rawPath.endsWith(SUFFIX)
                || rawPath.length() <= PREFIX.length() + SUFFIX.length()) {
            return Optional.empty();
        }
        String name = rawPath.substring(PREFIX.length(), rawPath.length() - SUFFIX.length());
        if (!io.lamina.core.function.FunctionRef.isPlainName(name)) {
            return Optional.empty();
        }
        Optional<String> qualifier = Optional.empty();
        String query = req.query().rawValue();
        if (query != null && !query.isEmpty()) {
            var m = SIMPLE_QUALIFIER.matcher(query);
            if (!m.matches()) {
                return Optional.empty();
            }
            qualifier = Optional.of(m.group(1).equals("%24LATEST") ? "$LATEST" : m.group(1));
        }
        var headers = req.headers();
        if (headers.contains(CLIENT_CONTEXT)) {
            return Optional.empty();
        }
        InvocationType type = InvocationType.RequestResponse;
        Optional<String> t = headers.first(INVOCATION_TYPE);
        if (t.isPresent()) {
            switch (t.get()) {
                case "RequestResponse" -> type = InvocationType.RequestResponse;
                case "Event" -> type = InvocationType.Event;
                case "DryRun" -> type = InvocationType.DryRun;
                default -> {
                    return Optional.empty();
                }
            }
        }
        boolean tail = false;
        Optional<String> l = headers.first(LOG_TYPE);
        if (l.isPresent()) {
            switch (l.get()) {
                case "Tail" -> tail = true;
                case "None" -> tail = false;
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new InvokeRequest(name, qualifier, type, null, tail, Optional.empty(), headers.first(TRACE_ID)));
    }

    /** The request with its payload, once the body is read. */
    static InvokeRequest withPayload(InvokeRequest r, byte[] payload) {
        return new InvokeRequest(r.functionName(), r.qualifier(), r.type(), payload, r.tailLog(), r.clientContext(),
                r.traceId());
    }

    static final int MAX_BODY = Invoker.MAX_SYNC_PAYLOAD;
}
