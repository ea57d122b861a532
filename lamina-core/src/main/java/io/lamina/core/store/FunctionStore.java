package io.lamina.core.store;

import io.lamina.core.function.FunctionRecord;

import java.nio.file.Path;
import java.util.List;

/** Durable home of function records. One small interface so SQLite and PostgreSQL can both serve it. */
public interface FunctionStore extends AutoCloseable {

    List<FunctionRecord> loadAll();

    /** Inserts or replaces the record; durable when this returns. */
    void put(FunctionRecord record);

    void delete(String functionName);

    @Override
    void close();

    /** The embedded store: an SQLite file, schema managed by Flyway. */
    static FunctionStore sqlite(Path file) {
        return new SqliteFunctionStore(file);
    }
}
