package io.lamina.core.environment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * At start, kills runtime processes a previous Lamina with the same data directory left behind
 * (children of runtimes, which the kernel's parent-death signal does not reach).
 */
final class OrphanSweeper {
    static final String OWNER_VARIABLE = "LAMINA_OWNER";
    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweeper.class);

    private OrphanSweeper() {
    }

    /** Kills every process whose environment carries {@code LAMINA_OWNER=owner}; returns how many. */
    static int sweep(String owner) {
        byte[] marker = (OWNER_VARIABLE + "=" + owner + "\0").getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        int killed = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                try {
                    byte[] env = Files.readAllBytes(p.resolve("environ"));
                    if (contains(env, marker)) {
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                        killed++;
                    }
                } catch (IOException | SecurityException e) {
                    // not ours to read, or already gone
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot scan /proc: {}", e.toString());
        }
        if (killed > 0) {
            LOG.info("killed {} runtime processes left over by a previous run", killed);
        }
        return killed;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            if (i > 0 && haystack[i - 1] != 0) {
                continue; // variables start after a NUL
            }
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
