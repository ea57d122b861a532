package io.lamina.core.store;

import io.lamina.core.mappings.EventSourceMapping;

import java.nio.file.Path;
import java.util.List;

/** Durable home of event source mappings. */
public interface MappingStore extends AutoCloseable {

    List<EventSourceMapping> loadAll();

    /** Inserts or replaces the mapping; durable when this returns. */
    void put(EventSourceMapping mapping);

    void delete(String uuid);

    @Override
    void close();

    /** The embedded store: the same SQLite file as the functions, its own table (migration V2), opened after {@link FunctionStore#sqlite} migrated it. */
    static MappingStore sqlite(Path file) {
        return new SqliteMappingStore(file);
    }

    /** Nothing durable: for tests of the registry alone. */
    static MappingStore inMemory() {
        var map = new java.util.concurrent.ConcurrentHashMap<String, EventSourceMapping>();
        return new MappingStore() {
            public List<EventSourceMapping> loadAll() {
                return List.copyOf(map.values());
            }

            public void put(EventSourceMapping m) {
                map.put(m.uuid(), m);
            }

            public void delete(String uuid) {
                map.remove(uuid);
            }

            public void close() {
            }
        };
    }
}
