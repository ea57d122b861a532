package io.lamina.core.sources.kafka;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffsetWindowTest {

    @Test
    void first_isTheOldestOffsetNotAcknowledged_evenWhenLaterOnesAreDoneFirst() {
        var w = new OffsetWindow();
        for (long o = 10; o < 15; o++) {
            w.add(o);
        }
        assertTrue(w.remove(12));
        assertTrue(w.remove(11));
        assertEquals(10, w.first());
        assertTrue(w.remove(10));
        assertEquals(13, w.first());
        assertTrue(w.remove(14));
        assertTrue(w.remove(13));
        assertTrue(w.isEmpty());
    }

    @Test
    void remove_ofAnOffsetNotOutstanding_changesNothing() {
        var w = new OffsetWindow();
        w.add(5);
        w.add(7);
        assertFalse(w.remove(6));
        assertFalse(w.remove(8));
        assertTrue(w.remove(7));
        assertFalse(w.remove(7));
        assertEquals(5, w.first());
    }

    @Test
    void offsetsReadAgainOrOutOfOrder_areKeptInOrder_andDuplicatesOnce() {
        var w = new OffsetWindow();
        w.add(20);
        w.add(30);
        w.add(25);
        w.add(20);
        w.add(10);
        assertEquals(10, w.first());
        assertTrue(w.remove(10));
        assertEquals(20, w.first());
        assertTrue(w.remove(20));
        assertFalse(w.remove(20));
        assertEquals(25, w.first());
    }

    @Test
    void manyBatches_behaveLikeASortedSet() {
        var w = new OffsetWindow();
        var model = new TreeSet<Long>();
        var random = new Random(42);
        long next = 0;
        for (int step = 0; step < 20_000; step++) {
            if (random.nextInt(3) > 0 || model.isEmpty()) {
                int n = 1 + random.nextInt(300);
                for (int i = 0; i < n; i++) {
                    long o = random.nextInt(50) == 0 && next > 0 ? next - 1 - random.nextInt((int) Math.min(next, 100)) : next++;
                    w.add(o);
                    model.add(o);
                }
            } else {
                // Acknowledge a run from the front, or single offsets anywhere.
                int n = 1 + random.nextInt(200);
                for (int i = 0; i < n && !model.isEmpty(); i++) {
                    Long pick = random.nextBoolean() ? model.first() : model.ceiling(model.first() + random.nextInt(400));
                    if (pick == null) {
                        pick = model.first();
                    }
                    assertTrue(w.remove(pick));
                    model.remove(pick);
                    // An offset never handed out is not outstanding.
                    assertFalse(w.remove(next + 1));
                }
            }
            assertEquals(model.isEmpty(), w.isEmpty());
            if (!model.isEmpty()) {
                assertEquals(model.first(), w.first());
            }
        }
    }
}
