package io.lamina.server.api;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids in UUID form without SecureRandom: they identify requests, they protect nothing. */
final class RequestIds {
    private RequestIds() {
    }

    static String next() {
        var r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }
}
