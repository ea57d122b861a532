package io.lamina.server.api;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.lamina.core.Lamina;
import io.lamina.core.invoke.InvocationType;
import io.lamina.core.invoke.InvokeRequest;
import io.lamina.core.invoke.InvokeStreamResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * {@code POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations}: unlike the other
 * operations it writes its answer progressively, so it gets the response itself. Errors before the
 * function ran (unknown function, throttling, bad payload) are thrown and rendered as for Invoke;
 * once the stream started, everything ends in {@code InvokeComplete}.
 */
final class InvokeWithResponseStream {
    private static final Logger LOG = LoggerFactory.getLogger(InvokeWithResponseStream.class);
    private final Lamina lamina;

    InvokeWithResponseStream(Lamina lamina) {
        this.lamina = lamina;
    }

    void serve(Operations.Call c, ServerResponse res) throws IOException {
        Input in = c.input();
        InvocationType type = in.string("InvocationType").map(InvocationType::valueOf).orElse(InvocationType.RequestResponse);
        var req = new InvokeRequest(in.required("FunctionName"), in.string("Qualifier"), type, c.payload(),
                in.string("LogType").filter("Tail"::equals).isPresent(), in.string("ClientContext"), c.traceId());
        var sink = new EventStreamSink(res);
        InvokeStreamResult r;
        try {
            r = lamina.invoker().invokeStreaming(req, sink);
        } catch (RuntimeException e) {
            if (!sink.begun()) {
                throw e;
            }
            LOG.error("streamed invocation of {} failed after it started", req.functionName(), e);
            res.outputStream().close();
            return;
        }
        if (r.status() == 204) {
            res.status(Status.NO_CONTENT_204);
            res.header(io.helidon.http.HeaderNames.create("x-amzn-RequestId"), r.requestId());
            res.send();
            return;
        }
        try {
            sink.complete(r);
        } catch (IOException e) {
            // the caller went away; the invocation's outcome is logged like any other
        }
    }
}
