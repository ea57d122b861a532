package io.lamina.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few Lambda API calls the benchmarks make, over one {@link MiniHttp} connection. */
final class LambdaApi implements Closeable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] EMPTY_EVENT = "{}".getBytes(StandardCharsets.UTF_8);
    private static final Pattern REPORT_DURATION = Pattern.compile("REPORT RequestId: \\S+\\tDuration: ([0-9.]+) ms");
    private static final Pattern INIT_DURATION = Pattern.compile("\\tInit Duration: ([0-9.]+) ms");

    private final MiniHttp http;

    LambdaApi(URI endpoint) {
        this.http = new MiniHttp(endpoint, 120_000);
    }

    /** The outcome of one Invoke, timed on the client from the first byte written to the last byte read. */
    record Invoked(int status, long nanos, String body, Optional<String> functionError, Optional<String> log) {
        /** {@code Duration} of the REPORT line in the tail log (needs {@code tail}). */
        Optional<Double> reportDurationMs() {
            return log.flatMap(l -> group(REPORT_DURATION.matcher(l)));
        }

        /** {@code Init Duration} of the REPORT line: present only for the first invocation of an environment. */
        Optional<Double> initDurationMs() {
            return log.flatMap(l -> group(INIT_DURATION.matcher(l)));
        }

        boolean ok() {
            return status == 200 && functionError.isEmpty();
        }

        String describe() {
            return "status " + status + functionError.map(e -> " X-Amz-Function-Error " + e).orElse("") + " body "
                    + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }

        private static Optional<Double> group(Matcher m) {
            return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
        }
    }

    Invoked invoke(String function, boolean tail) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (tail) {
            headers.put("X-Amz-Log-Type", "Tail");
        }
        String path = "/2015-03-31/functions/" + enc(function) + "/invocations";
        long t0 = System.nanoTime();
        MiniHttp.Response r = http.request("POST", path, headers, EMPTY_EVENT);
        long nanos = System.nanoTime() - t0;
        Optional<String> log = r.header("x-amz-log-result")
                .map(b64 -> new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
        return new Invoked(r.status(), nanos, r.text(), r.header("x-amz-function-error"), log);
    }

    /** An {@code Event} invoke; returns the HTTP status. */
    int invokeEvent(String function, byte[] payload) throws IOException {
        String path = "/2015-03-31/functions/" + enc(function) + "/invocations";
        return http.request("POST", path, Map.of("Content-Type", "application/json", "X-Amz-Invocation-Type", "Event"),
                payload).status();
    }

    /** PutFunctionConcurrency. */
    void putReservedConcurrency(String function, int reserved) throws IOException {
        MiniHttp.Response r = http.request("PUT", "/2017-10-31/functions/" + enc(function) + "/concurrency",
                Map.of("Content-Type", "application/json"),
                ("{\"ReservedConcurrentExecutions\":" + reserved + "}").getBytes(StandardCharsets.UTF_8));
        if (r.status() != 200) {
            throw new IOException("PutFunctionConcurrency " + function + ": HTTP " + r.status() + " " + r.text());
        }
    }

    /** CreateFunction; returns the response JSON. Throws on anything but 201. */
    JsonNode createFunction(String name, Packages.Fn fn, int memoryMb, int timeoutS) throws IOException {
        return createFunction(name, fn, memoryMb, timeoutS, Map.of());
    }

    JsonNode createFunction(String name, Packages.Fn fn, int memoryMb, int timeoutS, Map<String, String> env)
            throws IOException {
        ObjectNode req = JSON.createObjectNode();
        if (!env.isEmpty()) {
            ObjectNode vars = req.putObject("Environment").putObject("Variables");
            env.forEach(vars::put);
        }
        req.put("FunctionName", name);
        req.put("Runtime", fn.runtime());
        req.put("Handler", fn.handler());
        req.put("Role", "arn:aws:iam::000000000000:role/lamina-bench");
        req.put("MemorySize", memoryMb);
        req.put("Timeout", timeoutS);
        req.putObject("Code").put("ZipFile", Base64.getEncoder().encodeToString(fn.zip()));
        MiniHttp.Response r = http.request("POST", "/2015-03-31/functions", Map.of("Content-Type", "application/json"),
                JSON.writeValueAsBytes(req));
        if (r.status() != 201) {
            throw new IOException("CreateFunction " + name + ": HTTP " + r.status() + " " + r.text());
        }
        return JSON.readTree(r.body());
    }

    /** Polls GetFunctionConfiguration until {@code State} is {@code Active}; returns the ms waited. */
    long waitActive(String name, long timeoutMs) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeoutMs * 1_000_000L;
        while (true) {
            MiniHttp.Response r = http.request("GET", "/2015-03-31/functions/" + enc(name) + "/configuration", Map.of(),
                    null);
            if (r.status() != 200) {
                throw new IOException("GetFunctionConfiguration " + name + ": HTTP " + r.status() + " " + r.text());
            }
            String state = JSON.readTree(r.body()).path("State").asText();
            if (state.equals("Active")) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            if (state.equals("Failed") || System.nanoTime() > deadline) {
                throw new IOException("function " + name + " is " + state + ": " + r.text());
            }
            Thread.sleep(5);
        }
    }

    /**
     * An HTTP API by apigatewayv2 quick create (integration, route and auto-deployed {@code $default}
     * stage in one call) routing {@code routeKey} to the function, plus the permission API Gateway
     * needs to invoke it; returns the API id.
     */
    String createHttpApi(String name, String function, String routeKey) throws IOException {
        String arn = "arn:aws:lambda:us-east-1:000000000000:function:" + function;
        ObjectNode api = JSON.createObjectNode().put("name", name).put("protocolType", "HTTP").put("target", arn)
                .put("routeKey", routeKey);
        MiniHttp.Response r = http.request("POST", "/v2/apis", Map.of("Content-Type", "application/json"),
                JSON.writeValueAsBytes(api));
        if (r.status() != 201) {
            throw new IOException("CreateApi: HTTP " + r.status() + " " + r.text());
        }
        String apiId = JSON.readTree(r.body()).path("apiId").asText();
        ObjectNode grant = JSON.createObjectNode().put("StatementId", "apigw-" + apiId)
                .put("Action", "lambda:InvokeFunction").put("Principal", "apigateway.amazonaws.com")
                .put("SourceArn", "arn:aws:execute-api:us-east-1:000000000000:" + apiId + "/*");
        r = http.request("POST", "/2015-03-31/functions/" + enc(function) + "/policy",
                Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(grant));
        if (r.status() != 201 && r.status() != 409) { // 409: quick create already granted it under this id
            throw new IOException("AddPermission: HTTP " + r.status() + " " + r.text());
        }
        return apiId;
    }

    /** CreateEventSourceMapping with the given request members; returns the mapping's UUID. */
    String createMapping(ObjectNode request) throws IOException {
        MiniHttp.Response r = http.request("POST", "/2015-03-31/event-source-mappings/",
                Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(request));
        if (r.status() != 202) {
            throw new IOException("CreateEventSourceMapping: HTTP " + r.status() + " " + r.text());
        }
        return JSON.readTree(r.body()).path("UUID").asText();
    }

    /** Polls GetEventSourceMapping until its State is {@code state}. */
    void waitMappingState(String uuid, String state, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            MiniHttp.Response r = http.request("GET", "/2015-03-31/event-source-mappings/" + enc(uuid), Map.of(), null);
            if (r.status() == 200 && JSON.readTree(r.body()).path("State").asText().equals(state)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("mapping " + uuid + " not " + state + ": HTTP " + r.status() + " " + r.text());
            }
            Thread.sleep(5);
        }
    }

    /** DeleteEventSourceMapping, then waits until the mapping is gone (deleting is asynchronous). */
    void deleteMapping(String uuid) throws IOException, InterruptedException {
        MiniHttp.Response r = http.request("DELETE", "/2015-03-31/event-source-mappings/" + enc(uuid), Map.of(), null);
        if (r.status() != 202 && r.status() != 404) {
            throw new IOException("DeleteEventSourceMapping " + uuid + ": HTTP " + r.status() + " " + r.text());
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (http.request("GET", "/2015-03-31/event-source-mappings/" + enc(uuid), Map.of(), null).status() != 404) {
            if (System.nanoTime() > deadline) {
                throw new IOException("mapping " + uuid + " was not deleted");
            }
            Thread.sleep(10);
        }
    }

    void deleteFunction(String name) throws IOException {
        MiniHttp.Response r = http.request("DELETE", "/2015-03-31/functions/" + enc(name), Map.of(), null);
        if (r.status() != 204 && r.status() != 404) {
            throw new IOException("DeleteFunction " + name + ": HTTP " + r.status() + " " + r.text());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }
}
