package io.lamina.core.invoke;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids in UUID form without SecureRandom: they identify requests, they protect nothing. */
public final class RequestIds {
    private RequestIds() {
    }

    /** A random version-4 UUID string. */
    public static String next() {
        var r = ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }
}
