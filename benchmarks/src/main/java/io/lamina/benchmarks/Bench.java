package io.lamina.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The measurements wrk cannot make, run by {@code benchmarks/run.sh}. Each prints one parseable line per
 * measure ({@code lamina <measure> key=value ...}) on stdout; progress and problems go to stderr.
 *
 * <pre>
 * setup    --endpoint URL --lib DIR --families node,python,java,provided [--prefix bench] [--memory 128]
 *          creates bench-&lt;family&gt; and waits until each is Active
 * prewarm  --endpoint URL --function NAME --concurrency C [--quiet-ms 2000] [--max-seconds 300]
 *          C callers in a closed loop until no call has started an environment for quiet-ms
 * overhead --endpoint URL --function NAME [--n 2000] [--warmup 200] [--gap-ms 0] [--max-seconds 20 (per pass)]
 *          sequential invokes with LogType Tail: latency, REPORT Duration, latency minus Duration;
 *          then the same number without Tail (plain latency)
 * cold     --endpoint URL --lib DIR --family node [--samples 5] [--memory 128]
 *          per sample: create a fresh function, wait Active, time its first invoke, read Init Duration
 * startup  --tmp DIR [--samples 3] [--settle-seconds 2] [--pid-file F] -- COMMAND... ({port} {data} replaced)
 *          spawn the server, time to the first 200 on GET /2015-03-31/functions/, idle RSS, stop (SIGTERM)
 * rmq      --endpoint URL --broker-arn ARN --secret-arn ARN [--amqp URI] [--messages N] [--batch-sizes 1,100,1000]
 *          messages/s through a RabbitMQ mapping per batch size beside a raw consumer, idle delivery latency
 *          (see {@link RabbitBench})
 * kafka    --endpoint URL [--batches 1,100,1000] [--records 200000] [--records-batch1 3000] [--latency-n 200]
 *          an in-process Kafka broker; records/s through a mapping per batch size beside a raw consumer's
 *          rate on the same records, and idle delivery latency (see {@link KafkaBench})
 * </pre>
 */
public final class Bench {
    private static final PrintStream OUT = System.out;
    private static final PrintStream ERR = System.err;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            ERR.println("usage: Bench setup|prewarm|overhead|cold|startup [--option value ...] (see the class comment)");
            System.exit(2);
        }
        Args a = Args.parse(args);
        int rc = switch (args[0]) {
            case "setup" -> setup(a);
            case "prewarm" -> prewarm(a);
            case "overhead" -> overhead(a);
            case "cold" -> cold(a);
            case "startup" -> startup(a);
            case "async-latency" -> asyncLatency(a);
            case "async-busy" -> asyncBusy(a);
            case "delete" -> delete(a);
            case "http-api" -> httpApi(a);
            case "rmq" -> RabbitBench.run(a);
            case "kafka" -> KafkaBench.run(a);
            default -> {
                ERR.println("bench: unknown command " + args[0]);
                yield 2;
            }
        };
        System.exit(rc);
    }

    // ------------------------------------------------------------------ setup

    static int setup(Args a) throws Exception {
        URI endpoint = URI.create(a.required("endpoint"));
        Path lib = Path.of(a.get("lib", "benchmarks/target/lib"));
        String prefix = a.get("prefix", "bench");
        int memory = a.integer("memory", 128);
        try (var api = new LambdaApi(endpoint)) {
            for (String family : a.required("families").split(",")) {
                if (family.isBlank()) {
                    continue;
                }
                Packages.Fn fn = Packages.of(family, lib);
                String name = prefix + "-" + family;
                long t0 = System.nanoTime();
                api.createFunction(name, fn, memory, 30);
                long createMs = (System.nanoTime() - t0) / 1_000_000;
                long activeMs = api.waitActive(name, 60_000);
                LambdaApi.Invoked first = api.invoke(name, true);
                if (!first.ok()) {
                    ERR.println("bench: first invoke of " + name + " failed: " + first.describe()
                            + first.log().map(l -> "\n" + l).orElse(""));
                    return 1;
                }
                OUT.printf(Locale.ROOT, "lamina setup function=%s runtime=%s create_ms=%d active_ms=%d first_invoke_ms=%s init_ms=%s%n",
                        name, fn.runtime(), createMs, activeMs, Stats.ms(first.nanos() / 1e6),
                        first.initDurationMs().map(Stats::ms).orElse("none"));
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ http-api

    /** Creates the HTTP API the {@code gateway} case loads and prints its invoke URL for the route. */
    static int httpApi(Args a) throws Exception {
        URI endpoint = URI.create(a.required("endpoint"));
        String route = a.get("route", "GET /noop");
        try (var api = new LambdaApi(endpoint)) {
            String id = api.createHttpApi(a.get("name", "bench"), a.required("function"), route);
            OUT.println(endpoint + "/_api/" + id + route.substring(route.indexOf(' ') + 1));
        }
        return 0;
    }

    // ------------------------------------------------------------------ prewarm

    /**
     * Closed-loop load from {@code c} callers (what wrk does) with LogType Tail, until no invocation has
     * started a new environment for {@code quiet-ms}: from then on the function has the warm environments
     * this concurrency needs. (Rounds of c simultaneous calls are not enough: a no-op returns so fast that
     * the calls of a round rarely overlap, and the measured run would pay the missing cold starts.)
     */
    static int prewarm(Args a) throws Exception {
        URI endpoint = URI.create(a.required("endpoint"));
        String function = a.required("function");
        int c = a.integer("concurrency", 1);
        long maxNanos = a.integer("max-seconds", 300) * 1_000_000_000L;
        long quietNanos = a.integer("quiet-ms", 2000) * 1_000_000L;
        long t0 = System.nanoTime();
        var lastEvent = new AtomicLong(t0);
        var invokes = new AtomicLong();
        var coldStarts = new AtomicLong();
        var failed = new AtomicLong();
        var firstFailure = new AtomicReference<String>("");
        var stop = new AtomicBoolean();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            callers.add(Thread.ofPlatform().name("prewarm-" + i).start(() -> {
                try (var api = new LambdaApi(endpoint)) {
                    while (!stop.get()) {
                        LambdaApi.Invoked r = api.invoke(function, true);
                        invokes.incrementAndGet();
                        if (!r.ok()) {
                            // e.g. a runtime that crashed during init: counted and reported, the next call
                            // starts a replacement environment
                            failed.incrementAndGet();
                            lastEvent.set(System.nanoTime());
                            if (firstFailure.compareAndSet("", r.describe())) {
                                ERR.println("bench: prewarm invoke of " + function + " failed: " + r.describe());
                            }
                        } else if (r.initDurationMs().isPresent()) {
                            coldStarts.incrementAndGet();
                            lastEvent.set(System.nanoTime());
                        }
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet("", e.toString());
                    lastEvent.set(System.nanoTime());
                }
            }));
        }
        boolean warm = false;
        while (!warm && System.nanoTime() - t0 < maxNanos) {
            Thread.sleep(50);
            warm = System.nanoTime() - lastEvent.get() >= quietNanos;
        }
        stop.set(true);
        for (Thread t : callers) {
            t.join(30_000);
        }
        String ff = firstFailure.get();
        OUT.printf(Locale.ROOT, "lamina prewarm function=%s c=%d invokes=%d cold_starts=%d failed_invokes=%d seconds=%.2f%s%n",
                function, c, invokes.get(), coldStarts.get(), failed.get(), (System.nanoTime() - t0) / 1e9,
                ff.isEmpty() ? "" : " first_failure=\"" + ff.replace('"', '\'') + "\"");
        if (!warm) {
            ERR.println("bench: " + function + " still starting environments at c=" + c + " after " + maxNanos / 1_000_000_000L + " s");
            return 1;
        }
        return 0;
    }

    // ------------------------------------------------------------------ overhead

    static int overhead(Args a) throws Exception {
        URI endpoint = URI.create(a.required("endpoint"));
        String function = a.required("function");
        String family = a.get("family", function);
        int n = a.integer("n", 2000);
        int warmup = a.integer("warmup", 200);
        int gapMs = a.integer("gap-ms", 0);
        var latency = new ArrayList<Double>(n);
        var duration = new ArrayList<Double>(n);
        var overhead = new ArrayList<Double>(n);
        var plain = new ArrayList<Double>(n);
        try (var api = new LambdaApi(endpoint)) {
            long w0 = System.nanoTime();
            for (int i = 0; i < warmup && System.nanoTime() - w0 < 5_000_000_000L; i++) {
                check(api.invoke(function, i % 2 == 0));
            }
            long budget = a.integer("max-seconds", 20) * 1_000_000_000L;
            long t0 = System.nanoTime();
            for (int i = 0; i < n && System.nanoTime() - t0 < budget; i++) {
                pause(gapMs);
                LambdaApi.Invoked r = check(api.invoke(function, true));
                double lat = r.nanos() / 1e6;
                double dur = r.reportDurationMs().orElseThrow(() -> new IllegalStateException(
                        "no REPORT Duration in the tail log: " + r.log().orElse("<no log>")));
                latency.add(lat);
                duration.add(dur);
                overhead.add(lat - dur);
            }
            t0 = System.nanoTime();
            for (int i = 0; i < n && System.nanoTime() - t0 < budget; i++) {
                pause(gapMs);
                plain.add(check(api.invoke(function, false)).nanos() / 1e6);
            }
        }
        Stats l = Stats.of(latency);
        Stats d = Stats.of(duration);
        Stats o = Stats.of(overhead);
        Stats p = Stats.of(plain);
        OUT.printf(Locale.ROOT, "lamina overhead runtime=%s n=%d gap_ms=%d overhead_p50_ms=%s overhead_p99_ms=%s latency_p50_ms=%s "
                        + "latency_p99_ms=%s report_duration_p50_ms=%s report_duration_p99_ms=%s notail_p50_ms=%s notail_p99_ms=%s%n",
                family, o.n(), gapMs, Stats.ms(o.p(50)), Stats.ms(o.p(99)), Stats.ms(l.p(50)), Stats.ms(l.p(99)), Stats.ms(d.p(50)),
                Stats.ms(d.p(99)), Stats.ms(p.p(50)), Stats.ms(p.p(99)));
        return 0;
    }

    // ------------------------------------------------------------------ async delivery latency

    /** A Node.js function that tells the driver, over UDP, which event it is running. */
    private static final String ASYNC_PING = """
            const dgram = require('dgram');
            const socket = dgram.createSocket('udp4');
            exports.handler = async (e) => {
              await new Promise((resolve) => socket.send(String(e.seq), e.port, '127.0.0.1', resolve));
              return 1;
            };
            """;

    /**
     * Delivery latency of the async queue when idle: one Event invoke at a time, timed from the moment
     * the request is sent until the function's UDP datagram for that event arrives (one clock, the
     * driver's). Also the 202's own latency, which includes the durable commit.
     */
    static int asyncLatency(Args a) throws Exception {
        URI endpoint = URI.create(a.required("endpoint"));
        int n = a.integer("n", 1000);
        int warmup = a.integer("warmup", 200);
        int gapMs = a.integer("gap-ms", 2);
        String function = "bench-async-ping";
        var accept = new ArrayList<Double>(n);
        var delivery = new ArrayList<Double>(n);
        try (var api = new LambdaApi(endpoint);
             var udp = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            api.deleteFunction(function);
            api.createFunction(function, new Packages.Fn("node", "nodejs20.x", "index.handler",
                    Packages.zip(Map.of("index.js", ASYNC_PING.getBytes(StandardCharsets.UTF_8)))), 128, 10);
            api.waitActive(function, 30_000);
            udp.setSoTimeout(10_000);
            var buf = new java.net.DatagramPacket(new byte[64], 64);
            for (int i = 0; i < warmup + n; i++) {
                pause(gapMs);
                byte[] event = ("{\"seq\":" + i + ",\"port\":" + udp.getLocalPort() + "}").getBytes(StandardCharsets.UTF_8);
                long t0 = System.nanoTime();
                int status = api.invokeEvent(function, event);
                long t1 = System.nanoTime();
                if (status != 202) {
                    throw new IOException("Event invoke answered " + status);
                }
                while (true) {
                    udp.receive(buf);
                    String seq = new String(buf.getData(), 0, buf.getLength(), StandardCharsets.UTF_8);
                    if (seq.equals(Integer.toString(i))) {
                        break;
                    }
                }
                long t2 = System.nanoTime();
                if (i >= warmup) {
                    accept.add((t1 - t0) / 1e6);
                    delivery.add((t2 - t0) / 1e6);
                }
            }
        }
        Stats acc = Stats.of(accept);
        Stats del = Stats.of(delivery);
        OUT.printf(Locale.ROOT, "lamina async-latency runtime=node n=%d gap_ms=%d accept_p50_ms=%s accept_p99_ms=%s "
                        + "delivery_p50_ms=%s delivery_p90_ms=%s delivery_p99_ms=%s%n", del.n(), gapMs,
                Stats.ms(acc.p(50)), Stats.ms(acc.p(99)), Stats.ms(del.p(50)), Stats.ms(del.p(90)), Stats.ms(del.p(99)));
        return 0;
    }

    /**
     * A function that cannot keep up (reserved concurrency 1, 100 ms per event): Event invokes sent to it
     * measure the queue's intake alone, as a burst the queue absorbs, the function's work aside.
     */
    static int asyncBusy(Args a) throws Exception {
        URI endpoint = URI.create(a.required("endpoint"));
        String function = a.get("function", "bench-async-busy");
        try (var api = new LambdaApi(endpoint)) {
            api.deleteFunction(function);
            api.createFunction(function, new Packages.Fn("node", "nodejs20.x", "index.handler", Packages.zip(Map.of(
                    "index.js", "exports.handler = async () => { await new Promise((r) => setTimeout(r, 100)); };"
                            .getBytes(StandardCharsets.UTF_8)))), 128, 10);
            api.waitActive(function, 30_000);
            api.putReservedConcurrency(function, 1);
        }
        return 0;
    }

    static int delete(Args a) throws Exception {
        try (var api = new LambdaApi(URI.create(a.required("endpoint")))) {
            api.deleteFunction(a.required("function"));
        }
        return 0;
    }

    private static void pause(int ms) throws InterruptedException {
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    private static LambdaApi.Invoked check(LambdaApi.Invoked r) {
        if (!r.ok()) {
            throw new IllegalStateException("invoke failed: " + r.describe());
        }
        return r;
    }

    // ------------------------------------------------------------------ cold

    static int cold(Args a) throws Exception {
        URI endpoint = URI.create(a.required("endpoint"));
        Path lib = Path.of(a.get("lib", "benchmarks/target/lib"));
        String family = a.required("family");
        int samples = a.integer("samples", 5);
        int memory = a.integer("memory", 128);
        long pauseMs = a.integer("pause-ms", 500);
        Packages.Fn fn = Packages.of(family, lib);
        var wall = new ArrayList<Double>();
        var init = new ArrayList<Double>();
        var dur = new ArrayList<Double>();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        int failures = 0;
        try (var api = new LambdaApi(endpoint)) {
            for (int i = 1; i <= samples; i++) {
                String name = "cold-" + family + "-" + run + "-" + i;
                api.createFunction(name, fn, memory, 30);
                api.waitActive(name, 60_000);
                // Let the store's and the file system's work for the create settle before timing.
                Thread.sleep(pauseMs);
                LambdaApi.Invoked r = api.invoke(name, true);
                if (!r.ok()) {
                    failures++;
                    ERR.println("bench: cold invoke of " + name + " failed: " + r.describe()
                            + r.log().map(l -> "\n" + l).orElse(""));
                    OUT.printf(Locale.ROOT, "lamina cold-sample runtime=%s sample=%d failed=\"%s\"%n", family, i,
                            r.describe().replace('"', '\''));
                    api.deleteFunction(name);
                    continue;
                }
                double ms = r.nanos() / 1e6;
                Optional<Double> initMs = r.initDurationMs();
                double d = r.reportDurationMs().orElse(Double.NaN);
                wall.add(ms);
                initMs.ifPresent(init::add);
                dur.add(d);
                OUT.printf(Locale.ROOT, "lamina cold-sample runtime=%s sample=%d invoke_ms=%s init_duration_ms=%s duration_ms=%s%n",
                        family, i, Stats.ms(ms), initMs.map(Stats::ms).orElse("none"), Stats.ms(d));
                api.deleteFunction(name);
                Thread.sleep(pauseMs);
            }
        }
        Stats w = Stats.of(wall);
        Stats in = Stats.of(init);
        OUT.printf(Locale.ROOT, "lamina cold runtime=%s runtime_id=%s samples=%d failed=%d p50_ms=%s min_ms=%s max_ms=%s "
                        + "init_p50_ms=%s init_min_ms=%s init_max_ms=%s all_ms=%s%n",
                family, fn.runtime(), wall.size(), failures, Stats.ms(w.p(50)), Stats.ms(w.min()), Stats.ms(w.max()), Stats.ms(in.p(50)),
                Stats.ms(in.min()), Stats.ms(in.max()), Stats.list(wall, 1));
        return wall.isEmpty() ? 1 : 0;
    }

    // ------------------------------------------------------------------ startup

    private static final Pattern SELF_REPORTED = Pattern.compile("Lamina ready on \\S+ .* in (\\d+) ms");

    static int startup(Args a) throws Exception {
        Path tmp = Path.of(a.required("tmp"));
        int samples = a.integer("samples", 3);
        long settleMs = a.integer("settle-seconds", 2) * 1000L;
        Optional<Path> pidFile = Optional.ofNullable(a.get("pid-file", null)).map(Path::of);
        List<String> template = a.rest();
        if (template.isEmpty()) {
            ERR.println("bench: startup needs the server command after --");
            return 2;
        }
        var ready = new ArrayList<Double>();
        var rss = new ArrayList<Double>();
        var live = new CopyOnWriteArrayList<Process>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> live.forEach(Bench::stop)));
        for (int i = 1; i <= samples; i++) {
            int port = freePort();
            Path data = tmp.resolve("start-" + i);
            Path log = tmp.resolve("start-" + i + ".log");
            List<String> cmd = template.stream()
                    .map(s -> s.replace("{port}", Integer.toString(port)).replace("{data}", data.toString())).toList();
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            live.add(p);
            if (pidFile.isPresent()) {
                Files.writeString(pidFile.get(), p.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            long readyNanos = -1;
            long deadline = t0 + 90_000_000_000L;
            var probe = new MiniHttp(URI.create("http://127.0.0.1:" + port), 5_000);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try {
                    if (probe.request("GET", "/2015-03-31/functions/", Map.of(), null).status() == 200) {
                        readyNanos = System.nanoTime() - t0;
                        break;
                    }
                } catch (IOException e) {
                    probe.close(); // not listening yet
                }
                Thread.sleep(2);
            }
            probe.close();
            if (readyNanos < 0) {
                ERR.println("bench: server did not answer 200 (sample " + i + "); its output:\n" + Files.readString(log));
                stop(p);
                return 1;
            }
            Thread.sleep(settleMs);
            long rssKb = procStatus(p.pid(), "VmRSS");
            long threads = procStatus(p.pid(), "Threads");
            long s0 = System.nanoTime();
            stop(p);
            live.remove(p);
            double stopS = (System.nanoTime() - s0) / 1e9;
            Matcher m = SELF_REPORTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
            String self = m.find() ? m.group(1) : "?";
            ready.add(readyNanos / 1e9);
            rss.add(rssKb / 1024.0);
            OUT.printf(Locale.ROOT, "lamina start-sample sample=%d ready_s=%.3f self_reported_ms=%s idle_rss_mb=%d os_threads=%d "
                            + "stop_s=%.2f exit=%d%n",
                    i, readyNanos / 1e9, self, rssKb / 1024, threads, stopS, p.exitValue());
        }
        Stats r = Stats.of(ready);
        Stats m = Stats.of(rss);
        OUT.printf(Locale.ROOT, "lamina start samples=%d ready_s=%.3f ready_min_s=%.3f ready_max_s=%.3f idle_rss_mb=%.0f "
                        + "all_ready_s=%s%n",
                samples, r.p(50), r.min(), r.max(), m.p(50), Stats.list(ready, 3));
        return 0;
    }

    /** SIGTERM, then SIGKILL after 15 s. */
    private static void stop(Process p) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                ERR.println("bench: pid " + p.pid() + " ignored SIGTERM for 15 s; killing it");
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A numeric field of /proc/PID/status (kB for the Vm* fields); -1 when unreadable. */
    static long procStatus(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone or unreadable
        }
        return -1;
    }

    // ------------------------------------------------------------------ arguments

    /** {@code --key value} pairs; everything after {@code --} is kept in order. */
    record Args(Map<String, String> options, List<String> rest) {
        static Args parse(String[] args) {
            Map<String, String> o = new HashMap<>();
            List<String> rest = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals("--")) {
                    rest.addAll(List.of(args).subList(i + 1, args.length));
                    break;
                }
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value at " + args[i]);
                }
                o.put(args[i].substring(2), args[++i]);
            }
            return new Args(o, rest);
        }

        String get(String key, String dflt) {
            return options.getOrDefault(key, dflt);
        }

        String required(String key) {
            String v = options.get(key);
            if (v == null) {
                throw new IllegalArgumentException("--" + key + " is required");
            }
            return v;
        }

        int integer(String key, int dflt) {
            return options.containsKey(key) ? Integer.parseInt(options.get(key)) : dflt;
        }
    }
}
