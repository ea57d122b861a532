package io.lamina.core.environment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts runtime processes so that none outlives Lamina:
 * <ul>
 *   <li>each runtime gets {@code PR_SET_PDEATHSIG=SIGKILL} (via util-linux {@code setpriv}), so the
 *   kernel kills it when Lamina dies, even by {@code kill -9};</li>
 *   <li>each runtime leads its own session ({@code setsid}), so its children can be found and killed;</li>
 *   <li>every process carries {@code LAMINA_OWNER}, which the {@link OrphanSweeper} looks for at start.</li>
 * </ul>
 * The death signal fires when the <em>thread</em> that forked the child ends, so all forks happen
 * on one long-lived platform thread, never on a virtual thread's carrier (those come and go).
 */
final class ProcessSpawner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessSpawner.class);
    private final ExecutorService spawner = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("lamina-spawner").daemon(true).unstarted(r));
    private final List<String> prefix;
    private final String owner;

    ProcessSpawner(String owner) {
        this.owner = owner;
        var p = new ArrayList<String>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            p.addAll(List.of("/usr/bin/setsid"));
        }
        if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            p.addAll(List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--"));
        } else {
            LOG.warn("setpriv not found: runtime processes will not be killed by the kernel if Lamina dies; "
                    + "the next start sweeps them instead");
        }
        this.prefix = List.copyOf(p);
    }

    String owner() {
        return owner;
    }

    /** Starts {@code command} in {@code cwd} with exactly {@code env}, stdout and stderr appended to {@code log}. */
    Process spawn(List<String> command, Map<String, String> env, Path cwd, Path log) throws IOException {
        var full = new ArrayList<String>(prefix);
        full.addAll(command);
        var pb = new ProcessBuilder(full)
                .directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put(OrphanSweeper.OWNER_VARIABLE, owner);
        try {
            return spawner.submit(pb::start).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a runtime", e);
        }
    }

    /** Kills a runtime and everything it started. */
    static void killTree(Process process) {
        ProcessHandle h = process.toHandle();
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
    }

    @Override
    public void close() {
        spawner.shutdownNow();
    }
}
