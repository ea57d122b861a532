package io.lamina.core.store;

import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How Lamina opens its SQLite files: WAL, fsync on commit, schema brought up to date by Flyway. */
public final class SqliteFiles {
    private SqliteFiles() {
    }

    /**
     * A data source on {@code file} (created with its directory if missing) after the migrations in
     * {@code classpath:<migrations>} ran.
     */
    public static SQLiteDataSource migrated(Path file, String migrations) throws IOException {
        var dataSource = open(file);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + migrations)
                .load()
                .migrate();
        return dataSource;
    }

    /** A data source on a file whose schema is already up to date (Flyway's check costs start-up time). */
    public static SQLiteDataSource open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(5000);
        var dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return dataSource;
    }
}
