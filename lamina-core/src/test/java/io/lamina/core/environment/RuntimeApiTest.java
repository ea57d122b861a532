package io.lamina.core.environment;

import io.lamina.core.function.CodePackage;
import io.lamina.core.function.FunctionState;
import io.lamina.core.function.FunctionVersion;
import io.lamina.core.logs.LogStore;
import io.lamina.core.runtimeapi.RuntimeApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Runtime API against environments without processes: the HTTP side is a plain client playing
 * the runtime, so these tests see exactly what a runtime sees.
 */
class RuntimeApiTest {
    @TempDir
    Path dir;
    final Map<String, ExecutionEnvironment> environments = new ConcurrentHashMap<>();
    RuntimeApiServer server;
    HttpClient http;
    LogStore logs;

    @BeforeEach
    void start() {
        server = new RuntimeApiServer(token -> Optional.ofNullable(environments.get(token)));
        http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        logs = new LogStore(dir, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
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

    private String url(String token, String path) {
        return "http://" + server.address() + "/" + token + "/2018-06-01/runtime" + path;
    }

    private HttpResponse<String> get(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(token, path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String token, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(token, path))).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Invocation invocation(String id, String payload) {
        return invocation(id, payload, 5_000);
    }

    private static Invocation invocation(String id, String payload, long timeoutMs) {
        return new Invocation(id, payload.getBytes(StandardCharsets.UTF_8), "arn:aws:lambda:us-east-1:000000000000:function:f",
                Optional.of("{\"custom\":{}}"), Optional.empty(), "Root=1-abc", timeoutMs);
    }

    @Test
    void next_deliversTheInvocationWithAwsHeaders_andResponseCompletesIt() throws Exception {
        var env = environment("tok1");
        var inv = invocation("req-1", "{\"a\":1}");
        Future<ExecutionEnvironment.Run> run = Executors.newVirtualThreadPerTaskExecutor().submit(() -> env.invoke(inv, 5000, 5));
        var next = get("tok1", "/invocation/next");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"a\":1}");
        assertThat(next.headers().firstValue("Lambda-Runtime-Aws-Request-Id")).contains("req-1");
        assertThat(next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn")).contains("arn:aws:lambda:us-east-1:000000000000:function:f");
        assertThat(next.headers().firstValue("Lambda-Runtime-Trace-Id")).contains("Root=1-abc");
        assertThat(next.headers().firstValue("Lambda-Runtime-Client-Context")).contains("{\"custom\":{}}");
        long deadline = Long.parseLong(next.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
        assertThat(deadline - System.currentTimeMillis()).isBetween(3_000L, 5_001L);

        var accepted = post("tok1", "/invocation/req-1/response", "{\"ok\":true}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(run.get().outcome()).isInstanceOfSatisfying(Outcome.Success.class,
                s -> assertThat(new String(s.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}"));
    }

    @Test
    void response_withAnotherRequestId_is400_andTwice_is403() throws Exception {
        var env = environment("tok2");
        Executors.newVirtualThreadPerTaskExecutor().submit(() -> env.invoke(invocation("req-2", "{}"), 5000, 5));
        get("tok2", "/invocation/next");
        var wrongId = post("tok2", "/invocation/someone-else/response", "{}");
        assertThat(wrongId.statusCode()).isEqualTo(400);
        assertThat(wrongId.body()).contains("\"errorType\":\"InvalidRequestID\"");
        assertThat(post("tok2", "/invocation/req-2/response", "{}").statusCode()).isEqualTo(202);
        var again = post("tok2", "/invocation/req-2/response", "{}");
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.body()).contains("\"errorType\":\"InvalidStateTransition\"");
    }

    @Test
    void initError_afterTheFirstNext_is403() throws Exception {
        var env = environment("tok3");
        Executors.newVirtualThreadPerTaskExecutor().submit(() -> env.invoke(invocation("req-3", "{}"), 5000, 5));
        get("tok3", "/invocation/next");
        var r = post("tok3", "/init/error", "{\"errorType\":\"X\",\"errorMessage\":\"late\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("InvalidStateTransition");
    }

    @Test
    void initError_beforeAnyNext_failsTheFirstInvocationWithTheRuntimesDocument() throws Exception {
        var env = environment("tok4");
        Future<ExecutionEnvironment.Run> run = Executors.newVirtualThreadPerTaskExecutor()
                .submit(() -> env.invoke(invocation("req-4", "{}"), 5000, 5));
        Thread.sleep(50);
        String doc = "{\"errorType\":\"Runtime.ImportModuleError\",\"errorMessage\":\"no module\"}";
        assertThat(post("tok4", "/init/error", doc).statusCode()).isEqualTo(202);
        assertThat(run.get().outcome()).isInstanceOfSatisfying(Outcome.FunctionError.class,
                f -> assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo(doc));
    }

    @Test
    void response_overSixMegabytes_is413_andTheInvocationFailsWithResponseSizeTooLarge() throws Exception {
        var env = environment("tok5");
        Future<ExecutionEnvironment.Run> run = Executors.newVirtualThreadPerTaskExecutor()
                .submit(() -> env.invoke(invocation("req-5", "{}"), 5000, 5));
        get("tok5", "/invocation/next");
        var r = post("tok5", "/invocation/req-5/response", "\"" + "x".repeat(6_291_556) + "\"");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(run.get().outcome()).isInstanceOfSatisfying(Outcome.PlatformError.class, p -> {
            assertThat(p.type()).isEqualTo(PlatformErrorType.RESPONSE_SIZE_TOO_LARGE);
            assertThat(p.message()).isEqualTo("Response payload size exceeded maximum allowed payload size (6291556 bytes).");
        });
    }

    @Test
    void unknownToken_is404_andSeesNoInvocation() throws Exception {
        environment("tok6");
        var r = get("not-a-token", "/invocation/next");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"errorType\":\"UnknownEnvironment\"");
    }

    @Test
    void thousandsOfEnvironments_eachRuntimeSeesOnlyItsOwnInvocations() throws Exception {
        int n = 2000;
        for (int i = 0; i < n; i++) {
            environment("env" + i);
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // Every runtime waits in /next at once: 2000 long polls on one loopback listener.
            List<Future<String>> runtimes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String token = "env" + i;
                runtimes.add(pool.submit(() -> {
                    var next = get(token, "/invocation/next");
                    String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
                    post(token, "/invocation/" + id + "/response", "{\"runtime\":\"" + token + "\",\"event\":" + next.body() + "}");
                    return id;
                }));
            }
            List<Future<ExecutionEnvironment.Run>> invokes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                var env = environments.get("env" + i);
                // A function timeout far above the test's real work: on a loaded 2-core machine the 2000
                // round trips can take longer than a usual 5 s timeout, which is not what is tested here.
                var inv = invocation("id-" + i, "{\"for\":\"env" + i + "\"}", 120_000);
                invokes.add(pool.submit(() -> env.invoke(inv, 60_000, 60)));
            }
            for (int i = 0; i < n; i++) {
                assertThat(runtimes.get(i).get()).isEqualTo("id-" + i);
                var outcome = invokes.get(i).get().outcome();
                int k = i;
                assertThat(outcome).isInstanceOfSatisfying(Outcome.Success.class, s ->
                        assertThat(new String(s.payload(), StandardCharsets.UTF_8))
                                .isEqualTo("{\"runtime\":\"env" + k + "\",\"event\":{\"for\":\"env" + k + "\"}}"));
            }
        }
    }
}
