package io.lamina.core.logs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Log groups and streams on disk: group {@code /aws/lambda/fn} lives in {@code <root>/aws/lambda/fn/},
 * stream {@code 2026/11/25/[$LATEST]id} in {@code .../2026/11/25/[$LATEST]id.log}.
 */
public final class LogStore {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private final Path root;
    private final Clock clock;

    public LogStore(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /** Opens a new stream for an execution environment, named the way AWS names it. */
    public LogStream open(String logGroup, String version, String environmentId) {
        String streamName = DAY.format(clock.instant()) + "/[" + version + "]" + environmentId;
        return new LogStream(streamName, groupDir(logGroup).resolve(streamName + ".log"));
    }

    /** The stream files of a group, oldest first. */
    public List<Path> streams(String logGroup) {
        Path dir = groupDir(logGroup);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .sorted(Comparator.comparing(LogStore::modified).thenComparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The stream name of a stream file. */
    public String streamName(String logGroup, Path file) {
        String rel = groupDir(logGroup).relativize(file).toString();
        return rel.substring(0, rel.length() - ".log".length());
    }

    private Path groupDir(String logGroup) {
        String rel = logGroup.replaceAll("^/+", "").replace("..", "_");
        return root.resolve(rel);
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
