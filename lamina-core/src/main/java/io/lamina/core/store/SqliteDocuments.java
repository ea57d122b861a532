package io.lamina.core.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One table of JSON documents keyed by a text column ({@code key, document, updated_at}), on one
 * SQLite connection with writes serialised: how functions and event source mappings are stored.
 */
final class SqliteDocuments<T> implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;
    private final Class<T> type;
    private final Function<T, String> key;
    private final String noun;
    private final String selectAll;
    private final String upsert;
    private final String deleteOne;

    /**
     * @param noun what a document is, for error messages ("function", "mapping")
     */
    SqliteDocuments(Connection connection, String table, String keyColumn, Class<T> type, Function<T, String> key,
                    String noun) {
        this.connection = connection;
        this.type = type;
        this.key = key;
        this.noun = noun;
        this.selectAll = "SELECT document FROM " + table + " ORDER BY " + keyColumn;
        this.upsert = "INSERT INTO " + table + "(" + keyColumn + ", document, updated_at) VALUES (?, ?, ?) "
                + "ON CONFLICT(" + keyColumn + ") DO UPDATE SET document = excluded.document, "
                + "updated_at = excluded.updated_at";
        this.deleteOne = "DELETE FROM " + table + " WHERE " + keyColumn + " = ?";
    }

    List<T> loadAll() {
        lock.lock();
        try (var st = connection.prepareStatement(selectAll); var rs = st.executeQuery()) {
            var out = new ArrayList<T>();
            while (rs.next()) {
                out.add(Json.MAPPER.readValue(rs.getString(1), type));
            }
            return out;
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot read the stored " + noun + "s", e);
        } finally {
            lock.unlock();
        }
    }

    /** Inserts or replaces; durable when this returns. */
    void put(T document) {
        String k = key.apply(document);
        lock.lock();
        try (var st = connection.prepareStatement(upsert)) {
            st.setString(1, k);
            st.setString(2, Json.MAPPER.writeValueAsString(document));
            st.setLong(3, Clock.systemUTC().millis());
            st.executeUpdate();
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot write " + noun + " " + k, e);
        } finally {
            lock.unlock();
        }
    }

    void delete(String k) {
        lock.lock();
        try (var st = connection.prepareStatement(deleteOne)) {
            st.setString(1, k);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot delete " + noun + " " + k, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the store", e);
        } finally {
            lock.unlock();
        }
    }
}
