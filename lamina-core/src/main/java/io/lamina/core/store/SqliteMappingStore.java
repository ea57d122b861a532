package io.lamina.core.store;

import io.lamina.core.mappings.EventSourceMapping;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/** {@link MappingStore} in the functions' SQLite file, table {@code event_source_mapping}. */
final class SqliteMappingStore implements MappingStore {
    private final SqliteDocuments<EventSourceMapping> documents;

    SqliteMappingStore(Path file) {
        try {
            // The function store shares this file and has migrated it (Lamina opens that one first).
            documents = new SqliteDocuments<>(SqliteFiles.open(file).getConnection(), "event_source_mapping", "uuid",
                    EventSourceMapping.class, EventSourceMapping::uuid, "mapping");
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot open the store at " + file, e);
        }
    }

    @Override
    public List<EventSourceMapping> loadAll() {
        return documents.loadAll();
    }

    @Override
    public void put(EventSourceMapping mapping) {
        documents.put(mapping);
    }

    @Override
    public void delete(String uuid) {
        documents.delete(uuid);
    }

    @Override
    public void close() {
        documents.close();
    }
}
