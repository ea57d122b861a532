package io.lamina.core.async;

import io.lamina.core.store.SqliteFiles;
import io.lamina.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link AsyncStore} in its own SQLite file (WAL, {@code synchronous=FULL}: a commit is on disk when
 * it returns). One platform thread owns the write connection and commits whatever has queued up
 * while the previous commit was being synced: under load a commit carries many events.
 */
final class SqliteAsyncStore implements AsyncStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteAsyncStore.class);
    private static final int MAX_GROUP = 2048;

    private sealed interface Op {
    }

    private record Insert(StoredEvent event, CompletableFuture<Void> done) implements Op {
    }

    private record Update(long id, int attempts, long dueAtMs, StoredEvent.Stage stage, Optional<String> outcome)
            implements Op {
    }

    private record Delete(long id) implements Op {
    }

    private record Barrier(CompletableFuture<Void> done) implements Op {
    }

    private record Stop() implements Op {
    }

    private final LinkedBlockingQueue<Op> ops = new LinkedBlockingQueue<>();
    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock readLock = new ReentrantLock();
    private final Thread writerThread;
    private volatile boolean stopped;

    SqliteAsyncStore(Path file) {
        try {
            var dataSource = SqliteFiles.migrated(file, "db/lamina/async");
            writer = dataSource.getConnection();
            // Transactions are begun and committed by hand: the fsync level may only change between them.
            writer.setAutoCommit(true);
            reader = dataSource.getConnection();
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot open the async queue at " + file, e);
        }
        // A platform thread: the SQLite driver is native code, which would pin a virtual thread anyway.
        writerThread = Thread.ofPlatform().name("lamina-async-writer").daemon().start(this::writeLoop);
    }

    @Override
    public CompletableFuture<Void> insert(StoredEvent event) {
        var done = new CompletableFuture<Void>();
        if (stopped) {
            done.completeExceptionally(new StoreException("the async queue is closed", null));
            return done;
        }
        ops.add(new Insert(event, done));
        if (stopped) {
            // The writer ended between the check and the add: this insert may never be written.
            done.completeExceptionally(new StoreException("the async queue is closed", null));
        }
        return done;
    }

    @Override
    public void update(long id, int attempts, long dueAtMs, StoredEvent.Stage stage, Optional<String> outcome) {
        ops.add(new Update(id, attempts, dueAtMs, stage, outcome));
    }

    @Override
    public void delete(long id) {
        ops.add(new Delete(id));
    }

    @Override
    public void flush() {
        var done = new CompletableFuture<Void>();
        ops.add(new Barrier(done));
        if (stopped) {
            return;
        }
        done.join();
    }

    private void writeLoop() {
        var group = new ArrayList<Op>(MAX_GROUP);
        try (PreparedStatement insert = writer.prepareStatement(
                "INSERT INTO async_event(id, request_id, function_name, qualifier, payload, client_context, trace_id, "
                        + "received_at, attempts, due_at, stage, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement update = writer.prepareStatement(
                     "UPDATE async_event SET attempts = ?, due_at = ?, stage = ?, outcome = ? WHERE id = ?");
             PreparedStatement delete = writer.prepareStatement("DELETE FROM async_event WHERE id = ?");
             java.sql.Statement syncMode = writer.createStatement();
             PreparedStatement begin = writer.prepareStatement("BEGIN");
             PreparedStatement commit = writer.prepareStatement("COMMIT")) {
            boolean synced = true;
            while (true) {
                group.clear();
                group.add(ops.take());
                ops.drainTo(group, MAX_GROUP - 1);
                boolean stop = false;
                try {
                    // Only accepted events must be on disk before anyone hears back; deletes and
                    // updates may be lost with the machine (the event then runs again: at least once),
                    // so a group without inserts skips the fsync. The next synced commit covers it.
                    boolean sync = group.stream().anyMatch(op -> op instanceof Insert || op instanceof Barrier);
                    if (sync != synced) {
                        syncMode.execute(sync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
                        synced = sync;
                    }
                    begin.execute();
                    for (Op op : group) {
                        switch (op) {
                            case Insert i -> bindInsert(insert, i.event());
                            case Update u -> {
                                update.setInt(1, u.attempts());
                                update.setLong(2, u.dueAtMs());
                                update.setString(3, u.stage().name());
                                setOptional(update, 4, u.outcome());
                                update.setLong(5, u.id());
                                update.executeUpdate();
                            }
                            case Delete d -> {
                                delete.setLong(1, d.id());
                                delete.executeUpdate();
                            }
                            case Barrier b -> { }
                            case Stop s -> stop = true;
                        }
                    }
                    commit.execute();
                    for (Op op : group) {
                        switch (op) {
                            case Insert i -> i.done().complete(null);
                            case Barrier b -> b.done().complete(null);
                            default -> { }
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    LOG.error("async queue: a group of {} writes failed", group.size(), e);
                    rollback(syncMode);
                    var failure = new StoreException("cannot store the event", e);
                    for (Op op : group) {
                        switch (op) {
                            case Insert i -> i.done().completeExceptionally(failure);
                            case Barrier b -> b.done().completeExceptionally(failure);
                            default -> { }
                        }
                    }
                }
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException | Error e) {
            LOG.error("async queue writer stopped", e);
        } finally {
            // Nobody may wait for a writer that is gone: later inserts fail at once, queued ones now.
            stopped = true;
            var failure = new StoreException("the async queue is closed", null);
            for (Op op : ops) {
                switch (op) {
                    case Insert i -> i.done().completeExceptionally(failure);
                    case Barrier b -> b.done().completeExceptionally(failure);
                    default -> { }
                }
            }
        }
    }

    private static void bindInsert(PreparedStatement st, StoredEvent e) throws SQLException {
        st.setLong(1, e.id());
        st.setString(2, e.requestId());
        st.setString(3, e.functionName());
        setOptional(st, 4, e.qualifier());
        st.setBytes(5, e.payload());
        setOptional(st, 6, e.clientContext());
        setOptional(st, 7, e.traceId());
        st.setLong(8, e.receivedAtMs());
        st.setInt(9, e.attempts());
        st.setLong(10, e.dueAtMs());
        st.setString(11, e.stage().name());
        setOptional(st, 12, e.outcome());
        st.executeUpdate();
    }

    private static void setOptional(PreparedStatement st, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            st.setString(index, value.get());
        } else {
            st.setNull(index, Types.VARCHAR);
        }
    }

    private static void rollback(java.sql.Statement st) {
        try {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            LOG.error("async queue: rollback failed", e);
        }
    }

    @Override
    public List<StoredEvent> loadAll() {
        readLock.lock();
        try (var st = reader.prepareStatement(
                "SELECT id, request_id, function_name, qualifier, client_context, trace_id, received_at, attempts, "
                        + "due_at, stage, outcome FROM async_event ORDER BY id");
             var rs = st.executeQuery()) {
            var out = new ArrayList<StoredEvent>();
            while (rs.next()) {
                out.add(new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3),
                        Optional.ofNullable(rs.getString(4)), null, Optional.ofNullable(rs.getString(5)),
                        Optional.ofNullable(rs.getString(6)), rs.getLong(7), rs.getInt(8), rs.getLong(9),
                        StoredEvent.Stage.valueOf(rs.getString(10)), Optional.ofNullable(rs.getString(11))));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the async queue", e);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public long maxId() {
        readLock.lock();
        try (var st = reader.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM async_event");
             var rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("cannot read the async queue", e);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public byte[] payload(long id) {
        readLock.lock();
        try (var st = reader.prepareStatement("SELECT payload FROM async_event WHERE id = ?")) {
            st.setLong(1, id);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("event " + id + " is not in the async queue", null);
                }
                return rs.getBytes(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read event " + id, e);
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public void close() {
        if (stopped) {
            return;
        }
        ops.add(new Stop());
        try {
            writerThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.close();
            reader.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the async queue", e);
        }
    }
}
