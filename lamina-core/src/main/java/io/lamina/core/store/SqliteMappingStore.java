package io.lamina.core.store;

import io.lamina.core.mappings.EventSourceMapping;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** {@link MappingStore} in an SQLite file (WAL, one connection, writes serialised). */
final class SqliteMappingStore implements MappingStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;

    SqliteMappingStore(Path file) {
        try {
            // The function store shares this file and has migrated it (Lamina opens that one first).
            var dataSource = SqliteFiles.open(file);
            connection = dataSource.getConnection();
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot open the store at " + file, e);
        }
    }

    @Override
    public List<EventSourceMapping> loadAll() {
        lock.lock();
        try (var st = connection.prepareStatement("SELECT document FROM event_source_mapping ORDER BY uuid");
             var rs = st.executeQuery()) {
            var out = new ArrayList<EventSourceMapping>();
            while (rs.next()) {
                out.add(Json.MAPPER.readValue(rs.getString(1), EventSourceMapping.class));
            }
            return out;
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot read event source mappings", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(EventSourceMapping record) {
        lock.lock();
        try (var st = connection.prepareStatement(
                "INSERT INTO event_source_mapping(uuid, document, updated_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT(uuid) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at")) {
            st.setString(1, record.uuid());
            st.setString(2, Json.MAPPER.writeValueAsString(record));
            st.setLong(3, Clock.systemUTC().millis());
            st.executeUpdate();
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot write mapping " + record.uuid(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(String uuid) {
        lock.lock();
        try (var st = connection.prepareStatement("DELETE FROM event_source_mapping WHERE uuid = ?")) {
            st.setString(1, uuid);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot delete mapping " + uuid, e);
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
