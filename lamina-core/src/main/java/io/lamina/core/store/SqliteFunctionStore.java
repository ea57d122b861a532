package io.lamina.core.store;

import io.lamina.core.function.FunctionRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** {@link FunctionStore} in an SQLite file (WAL, one connection, writes serialised). */
final class SqliteFunctionStore implements FunctionStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;

    SqliteFunctionStore(Path file) {
        try {
            var dataSource = SqliteFiles.migrated(file, "db/lamina/sqlite");
            connection = dataSource.getConnection();
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot open the store at " + file, e);
        }
    }

    @Override
    public List<FunctionRecord> loadAll() {
        lock.lock();
        try (var st = connection.prepareStatement("SELECT document FROM function_record ORDER BY name");
             var rs = st.executeQuery()) {
            var out = new ArrayList<FunctionRecord>();
            while (rs.next()) {
                out.add(Json.MAPPER.readValue(rs.getString(1), FunctionRecord.class));
            }
            return out;
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot read functions", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(FunctionRecord record) {
        lock.lock();
        try (var st = connection.prepareStatement(
                "INSERT INTO function_record(name, document, updated_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT(name) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at")) {
            st.setString(1, record.name());
            st.setString(2, Json.MAPPER.writeValueAsString(record));
            st.setLong(3, Clock.systemUTC().millis());
            st.executeUpdate();
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot write function " + record.name(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(String functionName) {
        lock.lock();
        try (var st = connection.prepareStatement("DELETE FROM function_record WHERE name = ?")) {
            st.setString(1, functionName);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot delete function " + functionName, e);
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
