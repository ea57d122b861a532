package io.lamina.core.httpapi;

import io.lamina.core.store.SqliteFiles;
import io.lamina.core.store.StoreException;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** {@link HttpApiStore} in {@code httpapi.db}: one connection, writes serialised, each committed on return. */
final class SqliteHttpApiStore implements HttpApiStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;

    SqliteHttpApiStore(Path file) {
        try {
            connection = SqliteFiles.migrated(file, "db/lamina/httpapi").getConnection();
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot open the HTTP API store at " + file, e);
        }
    }

    @Override
    public List<Row> loadAll() {
        lock.lock();
        try (var st = connection.prepareStatement(
                "SELECT api_id, kind, id, document FROM http_api_resource ORDER BY api_id, kind, id");
             var rs = st.executeQuery()) {
            var out = new ArrayList<Row>();
            while (rs.next()) {
                out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the stored HTTP APIs", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(Row row) {
        lock.lock();
        try (var st = connection.prepareStatement("INSERT INTO http_api_resource(api_id, kind, id, document, updated_at) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT(api_id, kind, id) DO UPDATE SET document = excluded.document, "
                + "updated_at = excluded.updated_at")) {
            st.setString(1, row.apiId());
            st.setString(2, row.kind());
            st.setString(3, row.id());
            st.setString(4, row.document());
            st.setLong(5, System.currentTimeMillis());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot write " + row.kind() + " " + row.id() + " of HTTP API " + row.apiId(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(String apiId, String kind, String id) {
        lock.lock();
        try (var st = connection.prepareStatement("DELETE FROM http_api_resource WHERE api_id = ? AND kind = ? AND id = ?")) {
            st.setString(1, apiId);
            st.setString(2, kind);
            st.setString(3, id);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot delete " + kind + " " + id + " of HTTP API " + apiId, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void deleteApi(String apiId) {
        lock.lock();
        try (var st = connection.prepareStatement("DELETE FROM http_api_resource WHERE api_id = ?")) {
            st.setString(1, apiId);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot delete HTTP API " + apiId, e);
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
            throw new StoreException("cannot close the HTTP API store", e);
        } finally {
            lock.unlock();
        }
    }
}
