package io.lamina.core.environment;

import io.lamina.core.function.FunctionVersion;
import io.lamina.core.logs.LogStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One execution environment: one runtime process, one invocation at a time. The runtime drives it
 * through the Runtime API ({@link #next()}, {@link #respond}, {@link #fail}, {@link #initError});
 * the invoker through {@link #invoke}. The runtime's side is an explicit state machine; a call out of
 * turn is a {@link RuntimeProtocolException}, never a silent change.
 */
public final class ExecutionEnvironment {

    /** Where the runtime is in its protocol. */
    sealed interface Phase {
        /** Started; has not asked for an invocation yet. */
        record Initializing() implements Phase { }
        /** Between invocations (or blocked in {@code /next}). */
        record Ready() implements Phase { }
        /** Running {@code invocation}; must answer {@code /response} or {@code /error} for it. */
        record Processing(Invocation invocation) implements Phase { }
        /** Gone; {@code reason} says why. */
        record Dead(String reason) implements Phase { }
    }

    private final String id;
    private final String token;
    private final FunctionVersion version;
    private final LogStream log;
    private final Clock clock;
    private final long spawnedAtNanos = System.nanoTime();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private Process process;
    private java.nio.channels.FileChannel statusFile;
    /** The pool this environment returns to; set by the manager that created it. */
    EnvironmentManager.Pool pool;
    private Phase phase = new Phase.Initializing();
    private Invocation pending;
    private byte[] initError;
    /** What an invocation this environment can no longer run fails with. */
    private PlatformErrorType deathType = PlatformErrorType.RUNTIME_EXIT_ERROR;
    private long initDurationNanos = -1;
    private boolean initReported;
    private volatile long lastUsedMillis;
    private final long maxResponseBytes;

    ExecutionEnvironment(String id, String token, FunctionVersion version, LogStream log, Clock clock, long maxResponseBytes) {
        this.id = id;
        this.token = token;
        this.version = version;
        this.log = log;
        this.clock = clock;
        this.maxResponseBytes = maxResponseBytes;
        this.lastUsedMillis = clock.millis();
    }

    void attach(Process p) {
        lock.lock();
        try {
            this.process = p;
        } finally {
            lock.unlock();
        }
        p.onExit().thenRun(() -> exited(p.exitValue()));
    }

    /** The runtime could not be started at all (exec failed): exit status 127, as a shell reports it. */
    void startFailed() {
        exited(127);
    }

    /** The entrypoint cannot run (a provided function without executable bootstrap): Runtime.InvalidEntrypoint. */
    void invalidEntrypoint(String reason) {
        lock.lock();
        try {
            deathType = PlatformErrorType.INVALID_ENTRYPOINT;
        } finally {
            lock.unlock();
        }
        markDead(reason);
    }

    public String id() {
        return id;
    }

    String token() {
        return token;
    }

    public FunctionVersion version() {
        return version;
    }

    public LogStream log() {
        return log;
    }

    long lastUsedMillis() {
        return lastUsedMillis;
    }

    boolean isAlive() {
        lock.lock();
        try {
            return !(phase instanceof Phase.Dead);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------ Runtime API side

    /** {@code GET /runtime/invocation/next}: blocks until this environment has an invocation. */
    public Invocation next() throws InterruptedException {
        lock.lock();
        try {
            switch (phase) {
                case Phase.Initializing i -> {
                    initDurationNanos = System.nanoTime() - spawnedAtNanos;
                    phase = new Phase.Ready();
                }
                case Phase.Ready r -> { }
                case Phase.Processing p -> throw RuntimeProtocolException.invalidStateTransition("Processing", "Waiting");
                case Phase.Dead d -> throw RuntimeProtocolException.gone();
            }
            while (pending == null) {
                if (phase instanceof Phase.Dead) {
                    throw RuntimeProtocolException.gone();
                }
                changed.await();
            }
            Invocation inv = pending;
            pending = null;
            phase = new Phase.Processing(inv);
            inv.markPickedUp(clock.millis(), System.nanoTime());
            return inv;
        } finally {
            lock.unlock();
        }
    }

    /** {@code POST /runtime/invocation/{id}/response}. */
    public void respond(String requestId, byte[] body) {
        Invocation inv = finish(requestId);
        if (body.length > maxResponseBytes) {
            inv.outcome().complete(new Outcome.PlatformError(PlatformErrorType.RESPONSE_SIZE_TOO_LARGE,
                    "Response payload size exceeded maximum allowed payload size (" + maxResponseBytes + " bytes)."));
            throw RuntimeProtocolException.tooLarge(maxResponseBytes);
        }
        inv.outcome().complete(new Outcome.Success(body));
    }

    /**
     * The start of a streamed {@code POST /runtime/invocation/{id}/response}: the invocation it answers.
     * The environment stays busy until the stream ends ({@link #streamed}, {@link #fail}, {@link #streamTooLarge}).
     */
    public Invocation streamingResponse(String requestId) {
        lock.lock();
        try {
            Phase.Processing p = processing(requestId);
            if (!p.invocation().startStreaming()) {
                throw RuntimeProtocolException.invalidStateTransition("Streaming", "Streaming");
            }
            return p.invocation();
        } finally {
            lock.unlock();
        }
    }

    /** A streamed response ended normally; its bytes already went to the invocation's {@link ResponseStream}. */
    public void streamed(String requestId) {
        finish(requestId).outcome().complete(new Outcome.Success(new byte[0]));
    }

    /** A streamed response went past {@code max} bytes: the invocation fails with Function.ResponseSizeTooLarge. */
    public void streamTooLarge(String requestId, long max) {
        finish(requestId).outcome().complete(new Outcome.PlatformError(PlatformErrorType.RESPONSE_SIZE_TOO_LARGE,
                "Response payload size exceeded maximum allowed payload size (" + max + " bytes)."));
    }

    /** {@code POST /runtime/invocation/{id}/error}. */
    public void fail(String requestId, byte[] errorDocument) {
        finish(requestId).outcome().complete(new Outcome.FunctionError(errorDocument));
    }

    /**
     * {@code POST /runtime/init/error}: initialisation failed; the first invocation reports it. The
     * runtime is expected to exit; one that does not is killed shortly after.
     */
    public void initError(byte[] errorDocument) {
        lock.lock();
        try {
            if (!(phase instanceof Phase.Initializing)) {
                throw RuntimeProtocolException.invalidStateTransition(phaseName(), "InitError");
            }
            initError = errorDocument;
            initDurationNanos = System.nanoTime() - spawnedAtNanos;
            phase = new Phase.Dead("init error");
            if (pending != null) {
                pending.outcome().complete(new Outcome.FunctionError(errorDocument));
                pending.pickedUp().cancel(false);
                pending = null;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Thread.ofVirtual().name("lamina-init-error-" + id).start(() -> {
            try {
                Thread.sleep(INIT_ERROR_GRACE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            kill();
        });
    }

    /** How long a runtime that reported an init error may take to exit by itself. */
    private static final long INIT_ERROR_GRACE_MS = 200;

    /** The invocation a runtime answers, when it is the one in progress (called under the lock). */
    private Phase.Processing processing(String requestId) {
        if (!(phase instanceof Phase.Processing p)) {
            throw RuntimeProtocolException.invalidStateTransition(phaseName(), "Responded");
        }
        if (!p.invocation().requestId().equals(requestId)) {
            throw RuntimeProtocolException.invalidRequestId(requestId);
        }
        return p;
    }

    private Invocation finish(String requestId) {
        lock.lock();
        try {
            Phase.Processing p = processing(requestId);
            phase = new Phase.Ready();
            return p.invocation();
        } finally {
            lock.unlock();
        }
    }

    private String phaseName() {
        return phase.getClass().getSimpleName();
    }

    // ------------------------------------------------------------ invoker side

    /** The result of one invocation, with what its REPORT line needs. */
    public record Run(Outcome outcome, long durationNanos, long initDurationNanos, boolean reusable) {
    }

    /**
     * Hands {@code inv} to the runtime and waits for its outcome: at most {@code initWaitMs} for the
     * runtime to take it, then until its deadline. A timeout or crash ends the environment.
     */
    Run invoke(Invocation inv, long initWaitMs, int timeoutSeconds) {
        lock.lock();
        try {
            if (phase instanceof Phase.Dead) {
                return new Run(deadOutcome(inv), 0, -1, false);
            }
            pending = inv;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        long pickedUpAt;
        try {
            pickedUpAt = inv.pickedUp().get(initWaitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Outcome o = timedOut(inv, timeoutSeconds);
            inv.outcome().complete(o);
            kill();
            return new Run(inv.outcome().join(), 0, -1, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inv.outcome().complete(deadOutcome(inv));
            kill();
            return new Run(inv.outcome().join(), 0, -1, false);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.CancellationException e) {
            // Completed without being picked up: an init error or a crash during init.
            return new Run(inv.outcome().join(), 0, initDuration(), false);
        }
        long initNanos = -1;
        if (!initReported) {
            initReported = true;
            initNanos = initDuration();
        }
        Outcome outcome;
        try {
            long waitMs = Math.max(1, inv.deadlineEpochMs() - clock.millis());
            outcome = inv.outcome().get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            inv.outcome().complete(timedOut(inv, timeoutSeconds));
            kill();
            outcome = inv.outcome().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inv.outcome().complete(deadOutcome(inv));
            kill();
            outcome = inv.outcome().join();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        long duration = System.nanoTime() - pickedUpAt;
        lastUsedMillis = clock.millis();
        return new Run(outcome, duration, initNanos, isAlive());
    }

    private long initDuration() {
        lock.lock();
        try {
            return initDurationNanos;
        } finally {
            lock.unlock();
        }
    }

    private static Outcome timedOut(Invocation inv, int timeoutSeconds) {
        return new Outcome.PlatformError(PlatformErrorType.SANDBOX_TIMEDOUT,
                "RequestId: " + inv.requestId() + " Error: Task timed out after " + timeoutSeconds + ".00 seconds");
    }

    private Outcome deadOutcome(Invocation inv) {
        lock.lock();
        try {
            if (initError != null) {
                return new Outcome.FunctionError(initError);
            }
            String reason = phase instanceof Phase.Dead d ? d.reason() : "Runtime exited without providing a reason";
            return new Outcome.PlatformError(deathType, "RequestId: " + inv.requestId() + " Error: " + reason);
        } finally {
            lock.unlock();
        }
    }

    /** The process ended: whatever it was doing fails with {@code Runtime.ExitError}. */
    private void exited(int status) {
        markDead(exitReason(status));
    }

    /** Ends the environment's protocol; an invocation it held fails with the reason. */
    private void markDead(String reason) {
        Invocation victim = null;
        lock.lock();
        try {
            if (phase instanceof Phase.Dead) {
                return;
            }
            if (phase instanceof Phase.Processing p) {
                victim = p.invocation();
            }
            if (pending != null) {
                victim = pending;
                pending = null;
            }
            phase = new Phase.Dead(reason);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (victim != null) {
            Outcome o = deadOutcome(victim);
            victim.outcome().complete(o);
            // a victim that was never picked up: wake its waiter
            victim.pickedUp().cancel(false);
        }
    }

    static String exitReason(int status) {
        if (status == 0) {
            return "Runtime exited without providing a reason";
        }
        if (status > 128 && status < 160) {
            // Go's names for Linux signals: AWS's runtime manager is written in Go and prints them this way.
            String signal = switch (status - 128) {
                case 1 -> "hangup";
                case 2 -> "interrupt";
                case 3 -> "quit";
                case 4 -> "illegal instruction";
                case 5 -> "trace/breakpoint trap";
                case 6 -> "aborted";
                case 7 -> "bus error";
                case 8 -> "floating point exception";
                case 9 -> "killed";
                case 10 -> "user defined signal 1";
                case 11 -> "segmentation fault";
                case 12 -> "user defined signal 2";
                case 13 -> "broken pipe";
                case 14 -> "alarm clock";
                case 15 -> "terminated";
                case 24 -> "CPU time limit exceeded";
                case 25 -> "file size limit exceeded";
                case 31 -> "bad system call";
                default -> "signal " + (status - 128);
            };
            return "Runtime exited with error: signal: " + signal;
        }
        return "Runtime exited with error: exit status " + status;
    }

    /**
     * Stops the runtime and everything it started. The tree is killed before the environment is marked
     * dead: marking it dead answers the runtime's pending {@code /next}, and a runtime that exits on that
     * answer first would leave its children (re-parented, out of reach) running.
     */
    void kill() {
        Process p;
        lock.lock();
        try {
            p = process;
        } finally {
            lock.unlock();
        }
        if (p != null) {
            ProcessSpawner.killTree(p);
        }
        markDead("Runtime exited with error: signal: killed");
    }

    Optional<Process> process() {
        lock.lock();
        try {
            return Optional.ofNullable(process);
        } finally {
            lock.unlock();
        }
    }

    /** Peak resident memory of the runtime process in MB, as {@code Max Memory Used} reports it. */
    public long maxMemoryUsedMb() {
        java.nio.channels.FileChannel status = statusFile();
        if (status == null) {
            return 0;
        }
        // One pread of /proc/<pid>/status per REPORT line; the kernel renders it afresh from offset 0.
        var buf = java.nio.ByteBuffer.allocate(4096);
        try {
            status.read(buf, 0);
        } catch (IOException e) {
            return 0;
        }
        byte[] b = buf.array();
        int n = buf.position();
        for (int i = 0; i + 6 < n; i++) {
            if (b[i] == 'V' && b[i + 1] == 'm' && b[i + 2] == 'H' && b[i + 3] == 'W' && b[i + 4] == 'M' && b[i + 5] == ':'
                    && (i == 0 || b[i - 1] == '\n')) {
                long kb = 0;
                int j = i + 6;
                while (j < n && (b[j] == ' ' || b[j] == '\t')) {
                    j++;
                }
                while (j < n && b[j] >= '0' && b[j] <= '9') {
                    kb = kb * 10 + (b[j++] - '0');
                }
                return (kb + 1023) / 1024;
            }
        }
        return 0;
    }

    private java.nio.channels.FileChannel statusFile() {
        lock.lock();
        try {
            if (statusFile == null && process != null && !(phase instanceof Phase.Dead)) {
                try {
                    statusFile = java.nio.channels.FileChannel.open(
                            Path.of("/proc", Long.toString(process.pid()), "status"), java.nio.file.StandardOpenOption.READ);
                } catch (IOException | UnsupportedOperationException e) {
                    return null;
                }
            }
            return statusFile;
        } finally {
            lock.unlock();
        }
    }

    /** Releases what the environment holds open besides its process. */
    void closeFiles() {
        lock.lock();
        try {
            if (statusFile != null) {
                try {
                    statusFile.close();
                } catch (IOException e) {
                    // nothing to do
                }
                statusFile = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
