package io.lamina.core.store;

import io.lamina.core.urls.UrlConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Durable home of function URL configurations. */
public interface UrlConfigStore extends AutoCloseable {

    List<UrlConfig> loadAll();

    /** Inserts or replaces; durable when this returns. */
    void put(UrlConfig config);

    void delete(String urlId);

    @Override
    void close();

    /** The functions' SQLite file, table {@code function_url_config} (migration V4), opened after {@link FunctionStore#sqlite}. */
    static UrlConfigStore sqlite(Path file) {
        try {
            var docs = new SqliteDocuments<>(SqliteFiles.open(file).getConnection(), "function_url_config", "url_id",
                    UrlConfig.class, UrlConfig::urlId, "function URL config");
            return new UrlConfigStore() {
                public List<UrlConfig> loadAll() {
                    return docs.loadAll();
                }

                public void put(UrlConfig c) {
                    docs.put(c);
                }

                public void delete(String urlId) {
                    docs.delete(urlId);
                }

                public void close() {
                    docs.close();
                }
            };
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot open the store at " + file, e);
        }
    }

    /** Nothing durable: for tests of the URL registry alone. */
    static UrlConfigStore inMemory() {
        var map = new ConcurrentHashMap<String, UrlConfig>();
        return new UrlConfigStore() {
            public List<UrlConfig> loadAll() {
                return List.copyOf(map.values());
            }

            public void put(UrlConfig c) {
                map.put(c.urlId(), c);
            }

            public void delete(String urlId) {
                map.remove(urlId);
            }

            public void close() {
            }
        };
    }
}
