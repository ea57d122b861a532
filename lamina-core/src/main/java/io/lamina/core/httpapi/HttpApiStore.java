package io.lamina.core.httpapi;

import java.nio.file.Path;
import java.util.List;

/** Durable home of HTTP APIs and their routes, integrations, stages and authorizers (JSON documents). */
public interface HttpApiStore extends AutoCloseable {

    /** One stored resource. {@code kind} is {@code api}, {@code route}, {@code integration}, {@code stage} or {@code authorizer}. */
    record Row(String apiId, String kind, String id, String document) {
    }

    List<Row> loadAll();

    /** Inserts or replaces; durable when this returns. */
    void put(Row row);

    void delete(String apiId, String kind, String id);

    /** Deletes an API with everything in it. */
    void deleteApi(String apiId);

    @Override
    void close();

    /** Its own SQLite file, like the async queue: the schema evolves apart from the functions'. */
    static HttpApiStore sqlite(Path file) {
        return new SqliteHttpApiStore(file);
    }

    /** Nothing durable: for tests of the registry alone. */
    static HttpApiStore inMemory() {
        var rows = new java.util.concurrent.ConcurrentHashMap<String, Row>();
        return new HttpApiStore() {
            public List<Row> loadAll() {
                return List.copyOf(rows.values());
            }

            public void put(Row row) {
                rows.put(row.apiId() + "/" + row.kind() + "/" + row.id(), row);
            }

            public void delete(String apiId, String kind, String id) {
                rows.remove(apiId + "/" + kind + "/" + id);
            }

            public void deleteApi(String apiId) {
                rows.keySet().removeIf(k -> k.startsWith(apiId + "/"));
            }

            public void close() {
            }
        };
    }
}
