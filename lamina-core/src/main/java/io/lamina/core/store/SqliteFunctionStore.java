package io.lamina.core.store;

import io.lamina.core.function.FunctionRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/** {@link FunctionStore} in an SQLite file (WAL, one connection, writes serialised), table {@code function_record}. */
final class SqliteFunctionStore implements FunctionStore {
    private final SqliteDocuments<FunctionRecord> documents;

    SqliteFunctionStore(Path file) {
        try {
            documents = new SqliteDocuments<>(SqliteFiles.migrated(file, "db/lamina/sqlite").getConnection(),
                    "function_record", "name", FunctionRecord.class, FunctionRecord::name, "function");
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot open the store at " + file, e);
        }
    }

    @Override
    public List<FunctionRecord> loadAll() {
        return documents.loadAll();
    }

    @Override
    public void put(FunctionRecord record) {
        documents.put(record);
    }

    @Override
    public void delete(String functionName) {
        documents.delete(functionName);
    }

    @Override
    public void close() {
        documents.close();
    }
}
