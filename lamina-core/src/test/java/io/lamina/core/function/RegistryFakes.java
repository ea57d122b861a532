package io.lamina.core.function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.lamina.core.store.FunctionStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/** Hand-written fakes for the registry tests. */
final class RegistryFakes {
    private RegistryFakes() {
    }

    /**
     * A {@link FunctionStore} in memory that keeps records as JSON documents, the way the SQLite store
     * does, so whatever the registry holds must survive serialisation to be seen after a "restart".
     */
    static final class InMemoryStore implements FunctionStore {
        private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        final Map<String, String> documents = new TreeMap<>();
        int writes;

        @Override
        public synchronized List<FunctionRecord> loadAll() {
            var out = new ArrayList<FunctionRecord>();
            for (String doc : documents.values()) {
                try {
                    out.add(JSON.readValue(doc, FunctionRecord.class));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return out;
        }

        @Override
        public synchronized void put(FunctionRecord record) {
            try {
                documents.put(record.name(), JSON.writeValueAsString(record));
                writes++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void delete(String functionName) {
            documents.remove(functionName);
            writes++;
        }

        @Override
        public void close() {
        }

        synchronized FunctionRecord stored(String name) {
            return loadAll().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
        }
    }

    /** Runs background work only when the test says so: activation happens exactly when the test wants it. */
    static final class ManualExecutor implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        /** Runs everything queued so far (and whatever that queues). */
        void runAll() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = tasks.poll();
                }
                if (next == null) {
                    return;
                }
                next.run();
            }
        }

        synchronized int pending() {
            return tasks.size();
        }
    }

    /** Records what the registry tells its listeners. */
    static final class RecordingListener implements FunctionListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void latestChanged(String functionName) {
            events.add("latestChanged " + functionName);
        }

        @Override
        public void versionDeleted(String functionName, String version) {
            events.add("versionDeleted " + functionName + ":" + version);
        }

        @Override
        public void functionDeleted(String functionName) {
            events.add("functionDeleted " + functionName);
        }

        @Override
        public void reservedConcurrencyChanged(String functionName, java.util.Optional<Integer> reserved) {
            events.add("reservedConcurrencyChanged " + functionName + " " + reserved.map(String::valueOf).orElse("none"));
        }
    }
}
