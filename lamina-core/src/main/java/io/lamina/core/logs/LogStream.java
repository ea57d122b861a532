package io.lamina.core.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One log stream: the file an execution environment's stdout and stderr are appended to by the
 * kernel (no copying through Lamina), and that Lamina appends its START / END / REPORT lines to.
 * Both write in append mode, so lines interleave in the order they were written.
 */
public final class LogStream implements AutoCloseable {
    private final String name;
    private final Path file;
    private final FileChannel channel;

    LogStream(String name, Path file) {
        this.name = name;
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log stream " + file, e);
        }
    }

    /** The stream name as AWS spells it, e.g. {@code 2026/11/25/[$LATEST]0123…}. */
    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    /**
     * Appends Lamina's own lines. They always start a line of their own: output a runtime left without
     * a final newline (Java's {@code LambdaLogger.log}, a {@code print(end='')}) is a separate log event
     * in AWS, never glued to the END line.
     *
     * @return where {@code text} starts in the stream
     */
    public long append(String text) {
        try {
            long start = channel.size();
            if (!endsWithNewline()) {
                text = "\n" + text;
                start++;
            }
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            return start;
        } catch (IOException e) {
            // Losing a log line must not fail an invocation.
            return position();
        }
    }

    private boolean endsWithNewline() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return true;
        }
        // The append channel cannot read (READ + APPEND is not allowed).
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            return reader.read(last, size - 1) != 1 || last.get(0) == '\n';
        }
    }

    /** The current end of the stream. */
    public long position() {
        try {
            return channel.size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last {@code max} bytes written since {@code from}. */
    public byte[] tail(long from, int max) {
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = reader.size();
            long start = Math.max(from, end - max);
            if (start >= end) {
                return new byte[0];
            }
            ByteBuffer buf = ByteBuffer.allocate((int) (end - start));
            while (buf.hasRemaining()) {
                if (reader.read(buf, start + buf.position()) < 0) {
                    break;
                }
            }
            return buf.array();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
