package io.lamina.core.environment;

import io.lamina.core.invoke.ResponseSink;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gate between a runtime streaming its response and the caller's {@link ResponseSink}. The Runtime
 * API thread forwards through it; the invoker {@link #close() closes} it once the invocation ended (a
 * timeout may end it while the runtime is still writing), after which nothing more reaches the sink and
 * the invoker owns it. A caller that went away stops receiving but the runtime's stream is still read to
 * its end, so that the function finishes as it would on AWS.
 */
public final class ResponseStream {
    private final ResponseSink sink;
    private final String executedVersion;
    private final String requestId;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean begun;
    private boolean closed;
    private boolean callerGone;
    private long bytes;

    public ResponseStream(ResponseSink sink, String executedVersion, String requestId) {
        this.sink = sink;
        this.executedVersion = executedVersion;
        this.requestId = requestId;
    }

    /** Passes the start of the response on, once. */
    public void begin(String contentType) {
        lock.lock();
        try {
            if (begun || closed) {
                return;
            }
            begun = true;
            if (!callerGone) {
                try {
                    sink.begin(contentType, executedVersion, requestId);
                } catch (IOException | RuntimeException e) {
                    callerGone = true;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Passes bytes on; counts them even when the caller is gone. */
    public void write(byte[] b, int off, int len) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            bytes += len;
            if (!callerGone) {
                try {
                    sink.write(b, off, len);
                } catch (IOException | RuntimeException e) {
                    callerGone = true;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends forwarding; returns whether the runtime had begun a streamed response. */
    public boolean close() {
        lock.lock();
        try {
            closed = true;
            return begun;
        } finally {
            lock.unlock();
        }
    }

    /** How many body bytes the runtime streamed so far. */
    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the caller stopped accepting the stream (disconnected). */
    public boolean callerGone() {
        lock.lock();
        try {
            return callerGone;
        } finally {
            lock.unlock();
        }
    }
}
