package io.lamina.it.async;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.it.Functions;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Functions and helpers shared by the async tests. */
final class AsyncTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A Node.js function that appends {@code {id, n, t}} to {@code event.file} for every attempt, then
     * sleeps {@code event.sleepMs}, fails when {@code event.fail} is set, else returns {@code {n}}.
     */
    static byte[] recorder() {
        return Functions.node("""
                const fs = require('fs');
                exports.handler = async (event, context) => {
                  fs.appendFileSync(event.file, JSON.stringify({id: context.awsRequestId, n: event.n, t: Date.now(),
                    event: event}) + "\\n");
                  if (event.sleepMs) { await new Promise((r) => setTimeout(r, event.sleepMs)); }
                  if (event.fail) { throw new Error("boom " + event.n); }
                  return {n: event.n};
                };
                """);
    }

    /** The lines a recorder function wrote, parsed. */
    static List<JsonNode> lines(Path file) {
        return io.lamina.it.JsonLines.read(file);
    }

    static String event(Path file, int n, boolean fail) {
        return "{\"file\":\"" + file + "\",\"n\":" + n + ",\"fail\":" + fail + "}";
    }

    /** The wall clock, moved forward on demand. */
    static final class MovableClock extends Clock {
        private final AtomicLong offset = new AtomicLong();

        void advance(Duration d) {
            offset.addAndGet(d.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offset.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }
    }

    private AsyncTestSupport() {
    }
}
