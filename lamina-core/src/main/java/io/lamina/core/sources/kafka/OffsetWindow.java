package io.lamina.core.sources.kafka;

import java.util.Arrays;

/**
 * One partition's offsets handed out and not yet acknowledged, in offset order: its first one is where the
 * partition's commit stops. Offsets mostly arrive in increasing order and are mostly acknowledged oldest
 * first, so they sit in a sorted array with a done flag each; acknowledged offsets at the front are
 * dropped. This replaced a {@code TreeSet<Long>}, whose boxing and rebalancing cost about 0.15 ms per
 * batch of 1,000 records.
 */
final class OffsetWindow {
    private long[] offsets = new long[64];
    private boolean[] done = new boolean[64];
    /** The live entries are {@code [head, head + size)}; the one at head is never done. */
    private int head;
    private int size;

    /** Adds an offset handed out (again); one already here is left as it is. */
    void add(long offset) {
        if (size == 0 || offset > offsets[head + size - 1]) {
            room();
            offsets[head + size] = offset;
            done[head + size] = false;
            size++;
            return;
        }
        room();
        int i = Arrays.binarySearch(offsets, head, head + size, offset);
        if (i >= 0) {
            return;
        }
        // Older than the newest (read again after a seek): kept in order.
        int at = -i - 1;
        System.arraycopy(offsets, at, offsets, at + 1, head + size - at);
        System.arraycopy(done, at, done, at + 1, head + size - at);
        offsets[at] = offset;
        done[at] = false;
        size++;
    }

    /** Marks an offset acknowledged; false if it was not outstanding. */
    boolean remove(long offset) {
        int i = Arrays.binarySearch(offsets, head, head + size, offset);
        if (i < 0 || done[i]) {
            return false;
        }
        done[i] = true;
        while (size > 0 && done[head]) {
            head++;
            size--;
        }
        if (size == 0) {
            head = 0;
        }
        return true;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The oldest offset not acknowledged; only when not {@link #isEmpty}. */
    long first() {
        return offsets[head];
    }

    /** Room for one more entry at the end: the acknowledged front is reused first, else the arrays grow. */
    private void room() {
        if (head + size < offsets.length) {
            return;
        }
        if (head > 0) {
            System.arraycopy(offsets, head, offsets, 0, size);
            System.arraycopy(done, head, done, 0, size);
            head = 0;
            if (size < offsets.length) {
                return;
            }
        }
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
        done = Arrays.copyOf(done, done.length * 2);
    }
}
