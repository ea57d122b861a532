package io.lamina.core.async;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Durable home of the async queue. Writes are queued and committed in groups by one writer, so
 * many callers share each commit (and its fsync); {@link #insert} completes only once its group is
 * committed, the other writes are fire-and-forget but applied in order.
 */
public interface AsyncStore extends AutoCloseable {

    /** Completes when the event is durably stored; fails if it could not be. */
    CompletableFuture<Void> insert(StoredEvent event);

    /** Records a new attempt count, due time and stage; {@code outcome} is kept for stage DELIVER. */
    void update(long id, int attempts, long dueAtMs, StoredEvent.Stage stage, Optional<String> outcome);

    void delete(long id);

    /** Every stored event, payloads left out (see {@link #payload}). */
    List<StoredEvent> loadAll();

    /** The largest id ever stored, 0 if none: ids keep growing across restarts. */
    long maxId();

    byte[] payload(long id);

    /** Waits until every write queued so far is committed. */
    void flush();

    @Override
    void close();

    static AsyncStore sqlite(Path file) {
        return new SqliteAsyncStore(file);
    }
}
