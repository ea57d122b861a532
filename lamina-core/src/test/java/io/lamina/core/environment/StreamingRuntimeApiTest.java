package io.lamina.core.environment;

import io.lamina.core.function.CodePackage;
import io.lamina.core.function.FunctionState;
import io.lamina.core.function.FunctionVersion;
import io.lamina.core.invoke.ResponseSink;
import io.lamina.core.logs.LogStore;
import io.lamina.core.runtimeapi.RuntimeApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Runtime API's streaming response mode, with a raw socket playing the runtime: chunks reach the
 * caller's sink as they arrive, trailers carry errors, limits hold.
 */
class StreamingRuntimeApiTest {
    @TempDir
    Path dir;
    final Map<String, ExecutionEnvironment> environments = new ConcurrentHashMap<>();
    RuntimeApiServer server;
    LogStore logs;

    @BeforeEach
    void start() {
        server = new RuntimeApiServer(token -> Optional.ofNullable(environments.get(token)));
        logs = new LogStore(dir, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** What a caller's sink saw. */
    static final class RecordingSink implements ResponseSink {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void begin(String contentType, String executedVersion, String requestId) {
            events.add("begin " + contentType + " " + executedVersion + " " + requestId);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            events.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
        }
    }

    private ExecutionEnvironment environment(String token) {
        FunctionVersion v = new FunctionVersion.Builder().functionName("f").version("$LATEST").runtime("provided.al2023")
                .handler("h").role("r").memorySize(128).timeout(5).description("").tracingMode("PassThrough")
                .logFormat("Text").logGroup("/aws/lambda/f").code(new CodePackage("k", "s", 1)).revisionId("rev")
                .lastModified("now").state(FunctionState.Active, Optional.empty(), Optional.empty()).build();
        var env = new ExecutionEnvironment(token, token, v, logs.open("/aws/lambda/f", "$LATEST", token),
                Clock.systemUTC(), EnvironmentManager.MAX_RESPONSE_BYTES);
        environments.put(token, env);
        return env;
    }

    private static Invocation invocation(String id, Optional<ResponseStream> stream) {
        return new Invocation(id, "{}".getBytes(StandardCharsets.UTF_8), "arn:aws:lambda:us-east-1:000000000000:function:f",
                Optional.empty(), Optional.empty(), "Root=1-abc", 5_000, stream);
    }

    /** Plays the runtime: one HTTP/1.1 connection to the Runtime API. */
    private final class RawRuntime implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        final String token;

        RawRuntime(String token) throws IOException {
            String[] hostPort = server.address().split(":");
            this.socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
            this.token = token;
        }

        void next() throws IOException {
            send("GET /" + token + "/2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n");
            readResponse();
        }

        void startStream(String requestId, String contentType) throws IOException {
            send("POST /" + token + "/2018-06-01/runtime/invocation/" + requestId + "/response HTTP/1.1\r\nHost: x\r\n"
                    + "Lambda-Runtime-Function-Response-Mode: streaming\r\nContent-Type: " + contentType + "\r\n"
                    + "Transfer-Encoding: chunked\r\n"
                    + "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n");
        }

        void chunk(byte[] data) throws IOException {
            out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(data);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void chunk(String data) throws IOException {
            chunk(data.getBytes(StandardCharsets.UTF_8));
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Status line and body of the next response (Content-Length bodies only, as the Runtime API sends). */
        String readResponse() throws IOException {
            var head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : h.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return h.substring(0, h.indexOf("\r\n")) + " " + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void awaitEvents(RecordingSink sink, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (sink.events.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void streamedResponse_reachesTheSinkPieceByPiece_andEndsAsSuccess() throws Exception {
        var env = environment("s1");
        var sink = new RecordingSink();
        var inv = invocation("req-1", Optional.of(new ResponseStream(sink, "7", "req-1")));
        Future<ExecutionEnvironment.Run> run = Executors.newVirtualThreadPerTaskExecutor().submit(() -> env.invoke(inv, 5000, 5));
        try (var rt = new RawRuntime("s1")) {
            rt.next();
            rt.startStream("req-1", "text/plain");
            rt.chunk("hello ");
            awaitEvents(sink, 2);
            assertThat(sink.events).as("the first piece arrived before the stream ended")
                    .containsExactly("begin text/plain 7 req-1", "hello ");
            assertThat(run.isDone()).isFalse();

            rt.chunk("world");
            rt.send("0\r\n\r\n");
            assertThat(rt.readResponse()).startsWith("HTTP/1.1 202");
        }
        assertThat(run.get().outcome()).isInstanceOfSatisfying(Outcome.Success.class, s -> assertThat(s.payload()).isEmpty());
        assertThat(String.join("", sink.events.subList(1, sink.events.size()))).isEqualTo("hello world");
        assertThat(run.get().reusable()).isTrue();
    }

    @Test
    void streamedResponse_toACallerThatBuffers_isGatheredIntoOnePayload() throws Exception {
        var env = environment("s2");
        var inv = invocation("req-2", Optional.empty());
        Future<ExecutionEnvironment.Run> run = Executors.newVirtualThreadPerTaskExecutor().submit(() -> env.invoke(inv, 5000, 5));
        try (var rt = new RawRuntime("s2")) {
            rt.next();
            rt.startStream("req-2", "application/octet-stream");
            rt.chunk("ab");
            rt.chunk("cd");
            rt.send("0\r\n\r\n");
            assertThat(rt.readResponse()).startsWith("HTTP/1.1 202");
        }
        assertThat(run.get().outcome()).isInstanceOfSatisfying(Outcome.Success.class,
                s -> assertThat(new String(s.payload(), StandardCharsets.UTF_8)).isEqualTo("abcd"));
    }

    @Test
    void errorTrailers_failTheInvocationWithTheirDocument_andAreAccepted() throws Exception {
        var env = environment("s3");
        var sink = new RecordingSink();
        var inv = invocation("req-3", Optional.of(new ResponseStream(sink, "$LATEST", "req-3")));
        Future<ExecutionEnvironment.Run> run = Executors.newVirtualThreadPerTaskExecutor().submit(() -> env.invoke(inv, 5000, 5));
        String doc = "{\"errorType\":\"Custom.Broken\",\"errorMessage\":\"half way\"}";
        try (var rt = new RawRuntime("s3")) {
            rt.next();
            rt.startStream("req-3", "text/plain");
            rt.chunk("half");
            rt.send("0\r\nLambda-Runtime-Function-Error-Type: Custom.Broken\r\nLambda-Runtime-Function-Error-Body: "
                    + Base64.getEncoder().encodeToString(doc.getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n");
            assertThat(rt.readResponse()).startsWith("HTTP/1.1 202");

            // the same connection keeps working for the next invocation
            var next = invocation("req-4", Optional.empty());
            Future<ExecutionEnvironment.Run> second = Executors.newVirtualThreadPerTaskExecutor().submit(() -> env.invoke(next, 5000, 5));
            rt.next();
            rt.send("POST /s3/2018-06-01/runtime/invocation/req-4/response HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
            assertThat(rt.readResponse()).startsWith("HTTP/1.1 202");
            assertThat(second.get().outcome()).isInstanceOf(Outcome.Success.class);
        }
        assertThat(run.get().outcome()).isInstanceOfSatisfying(Outcome.FunctionError.class,
                f -> assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo(doc));
        assertThat(sink.events).containsExactly("begin text/plain $LATEST req-3", "half");
    }

    @Test
    void errorTypeTrailerAlone_failsWithThatType() throws Exception {
        var env = environment("s5");
        var inv = invocation("req-5", Optional.of(new ResponseStream(new RecordingSink(), "$LATEST", "req-5")));
        Future<ExecutionEnvironment.Run> run = Executors.newVirtualThreadPerTaskExecutor().submit(() -> env.invoke(inv, 5000, 5));
        try (var rt = new RawRuntime("s5")) {
            rt.next();
            rt.startStream("req-5", "text/plain");
            rt.send("0\r\nLambda-Runtime-Function-Error-Type: Runtime.Oops\r\n\r\n");
            assertThat(rt.readResponse()).startsWith("HTTP/1.1 202");
        }
        assertThat(run.get().outcome()).isInstanceOfSatisfying(Outcome.FunctionError.class,
                f -> assertThat(new String(f.payload(), StandardCharsets.UTF_8)).contains("\"errorType\":\"Runtime.Oops\""));
    }

    @Test
    void streamedResponse_toACallerThatBuffers_overSixMegabytes_is413_andResponseSizeTooLarge() throws Exception {
        var env = environment("s6");
        var inv = invocation("req-6", Optional.empty());
        Future<ExecutionEnvironment.Run> run = Executors.newVirtualThreadPerTaskExecutor().submit(() -> env.invoke(inv, 5000, 5));
        try (var rt = new RawRuntime("s6")) {
            rt.next();
            rt.startStream("req-6", "application/octet-stream");
            byte[] mb = new byte[1024 * 1024];
            for (int i = 0; i < 7; i++) {
                rt.chunk(mb);
            }
            rt.send("0\r\n\r\n");
            assertThat(rt.readResponse()).startsWith("HTTP/1.1 413");
        }
        assertThat(run.get().outcome()).isInstanceOfSatisfying(Outcome.PlatformError.class,
                p -> assertThat(p.type()).isEqualTo(PlatformErrorType.RESPONSE_SIZE_TOO_LARGE));
    }

    @Test
    void secondStreamForTheSameInvocation_is403_whileTheFirstGoesOn() throws Exception {
        var env = environment("s8");
        var sink = new RecordingSink();
        var inv = invocation("req-8", Optional.of(new ResponseStream(sink, "$LATEST", "req-8")));
        Future<ExecutionEnvironment.Run> run = Executors.newVirtualThreadPerTaskExecutor().submit(() -> env.invoke(inv, 5000, 5));
        try (var rt = new RawRuntime("s8"); var other = new RawRuntime("s8")) {
            rt.next();
            rt.startStream("req-8", "text/plain");
            rt.chunk("mine");
            awaitEvents(sink, 2);
            other.startStream("req-8", "text/plain");
            other.send("0\r\n\r\n");
            assertThat(other.readResponse()).startsWith("HTTP/1.1 403").contains("InvalidStateTransition");
            rt.send("0\r\n\r\n");
            assertThat(rt.readResponse()).startsWith("HTTP/1.1 202");
        }
        assertThat(run.get().outcome()).isInstanceOf(Outcome.Success.class);
        assertThat(sink.events).containsExactly("begin text/plain $LATEST req-8", "mine");
    }

    @Test
    void streamedResponse_forAnotherRequestId_is400() throws Exception {
        var env = environment("s7");
        Executors.newVirtualThreadPerTaskExecutor().submit(() -> env.invoke(invocation("req-7", Optional.empty()), 5000, 5));
        try (var rt = new RawRuntime("s7")) {
            rt.next();
            rt.startStream("someone-else", "text/plain");
            rt.send("0\r\n\r\n");
            assertThat(rt.readResponse()).startsWith("HTTP/1.1 400").contains("InvalidRequestID");
        }
    }
}
