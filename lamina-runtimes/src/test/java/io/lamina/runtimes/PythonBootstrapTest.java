package io.lamina.runtimes;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.runtimes.FakeRuntimeApi.Posted;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.lamina.runtimes.FakeRuntimeApi.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Python bootstrap against the real interpreter and a fake Runtime API. */
class PythonBootstrapTest extends RuntimeApiTransportContract {

    static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
    static final String NBSP = "\u00a0";
    static String python;

    /** The real interpreter behind the first python3 on PATH (which may be a pyenv shim). */
    @BeforeAll
    static void resolvePython() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys;print(sys.executable)").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() == 0 && !out.isEmpty()) python = out;
        } catch (Exception e) {
            python = null;
        }
        assumeTrue(python != null, "python3 is not installed");
    }

    @Override
    String bootstrapResource() {
        return "/io/lamina/runtimes/python/bootstrap.py";
    }

    @Override
    String bootstrapFileName() {
        return "bootstrap.py";
    }

    @Override
    List<String> command(Path bootstrap) {
        return List.of(python, "-u", bootstrap.toString());
    }

    @Override
    String executionEnv() {
        return "AWS_Lambda_python3.12";
    }

    // ------------------------------------------------------------------------------------------------ results

    @Test
    void pythonBootstrap_whenHandlerReturns_postsResultUnderThePathPrefix() {
        write("app.py", """
                from decimal import Decimal
                def handler(event, context):
                    return {"echo": event, "n": 42, "text": "h\u00e9llo", "price": Decimal("1.5"), "count": Decimal("3")}
                """);
        start("app.handler");

        Posted posted = awaitPosted(api.invoke("{\"a\":[1,2,{\"b\":null}]}"));

        assertThat(posted.kind()).isEqualTo("response");
        assertThat(posted.path()).startsWith(api.prefix() + "/2018-06-01/runtime/invocation/").endsWith("/response");
        assertThat(posted.body()).isEqualTo(
                "{\"echo\": {\"a\": [1, 2, {\"b\": null}]}, \"n\": 42, \"text\": \"h\u00e9llo\", \"price\": 1.5, \"count\": 3}");
        assertThat(posted.header("Content-Type")).isEqualTo("application/json");
        assertThat(api.unexpectedRequests()).isEmpty();
    }

    @Test
    void pythonBootstrap_whenHandlerReturnsNone_postsNull() {
        write("app.py", "def handler(event, context):\n    pass\n");
        start("app.handler");

        assertThat(awaitPosted(api.invoke("{}")).body()).isEqualTo("null");
    }

    @Test
    void pythonBootstrap_whenResultIsNotSerializable_postsMarshalError() {
        write("app.py", "def handler(event, context):\n    return {1, 2}\n");
        start("app.handler");

        Posted posted = awaitPosted(api.invoke("{}"));

        assertThat(posted.kind()).isEqualTo("error");
        assertThat(posted.json()).isEqualTo(json("{\"errorMessage\":\"Unable to marshal response: Object of type set is not JSON serializable\","
                + "\"errorType\":\"Runtime.MarshalError\",\"requestId\":\"" + requestIdOf(posted) + "\",\"stackTrace\":[]}"));
        assertThat(posted.header("Lambda-Runtime-Function-Error-Type")).isEqualTo("Runtime.MarshalError");
    }

    @Test
    void pythonBootstrap_whenEventIsNotJson_postsUnmarshalError() {
        write("app.py", "def handler(event, context):\n    return event\n");
        start("app.handler");

        Posted posted = awaitPosted(api.invoke("not json"));

        assertThat(posted.json().get("errorType").asText()).isEqualTo("Runtime.UnmarshalError");
        assertThat(posted.json().get("errorMessage").asText())
                .isEqualTo("Unable to unmarshal input: Expecting value: line 1 column 1 (char 0)");
    }

    // ------------------------------------------------------------------------------------------------ errors

    @Test
    void pythonBootstrap_whenHandlerRaises_postsErrorWithTypeMessageRequestIdAndStackTrace() {
        write("app.py", """
                def helper(value):
                    raise ValueError("bad value: " + value)

                def handler(event, context):
                    return helper(event["v"])
                """);
        start("app.handler");

        Posted posted = awaitPosted(api.invoke("{\"v\":\"x\"}"));

        String id = requestIdOf(posted);
        String file = taskRoot.resolve("app.py").toString();
        JsonNode error = posted.json();
        assertThat(fieldNames(error)).containsExactly("errorMessage", "errorType", "requestId", "stackTrace");
        assertThat(error.get("errorMessage").asText()).isEqualTo("bad value: x");
        assertThat(error.get("errorType").asText()).isEqualTo("ValueError");
        assertThat(error.get("requestId").asText()).isEqualTo(id);
        assertThat(strings(error.get("stackTrace"))).containsExactly(
                "  File \"" + file + "\", line 5, in handler\n    return helper(event[\"v\"])\n",
                "  File \"" + file + "\", line 2, in helper\n    raise ValueError(\"bad value: \" + value)\n");
        assertThat(posted.header("Lambda-Runtime-Function-Error-Type")).isEqualTo("ValueError");

        String logLine = runtime.awaitStdoutLine(l -> l.startsWith("[ERROR] ValueError"));
        assertThat(logLine).isEqualTo("[ERROR] ValueError: bad value: x\rTraceback (most recent call last):\r"
                + NBSP.repeat(2) + "File \"" + file + "\", line 5, in handler\r"
                + NBSP.repeat(4) + "return helper(event[\"v\"])\r"
                + NBSP.repeat(2) + "File \"" + file + "\", line 2, in helper\r"
                + NBSP.repeat(4) + "raise ValueError(\"bad value: \" + value)");
    }

    // ------------------------------------------------------------------------------------------------ init errors

    @Test
    void pythonBootstrap_whenModuleIsMissing_postsImportModuleErrorAndExits() {
        start("missing.handler");

        Posted posted = await(api.initError());

        assertThat(posted.body()).isEqualTo("{\"errorMessage\": \"Unable to import module 'missing': No module named 'missing'\", "
                + "\"errorType\": \"Runtime.ImportModuleError\", \"requestId\": \"\", \"stackTrace\": []}");
        assertThat(posted.header("Lambda-Runtime-Function-Error-Type")).isEqualTo("Runtime.ImportModuleError");
        assertThat(posted.path()).isEqualTo(api.prefix() + "/2018-06-01/runtime/init/error");
        assertThat(runtime.awaitExit()).isEqualTo(1);
        List<String> lines = runtime.stdoutLines();
        assertThat(lines.get(0)).matches("\\[WARNING\\]\t" + TIMESTAMP + "\t\tLAMBDA_WARNING: Unhandled exception\\. .*\r");
        assertThat(lines.get(1)).isEqualTo("[ERROR] Runtime.ImportModuleError: Unable to import module 'missing': "
                + "No module named 'missing'\rTraceback (most recent call last):");
    }

    @Test
    void pythonBootstrap_whenDependencyOfHandlerIsMissing_postsImportModuleError() {
        write("app.py", "import requests_that_do_not_exist\ndef handler(event, context):\n    return 1\n");
        start("app.handler");

        assertThat(await(api.initError()).json().get("errorMessage").asText())
                .isEqualTo("Unable to import module 'app': No module named 'requests_that_do_not_exist'");
    }

    @Test
    void pythonBootstrap_whenFunctionIsMissing_postsHandlerNotFound() {
        write("app.py", "def other(event, context):\n    return 1\n");
        start("app.foo");

        JsonNode error = await(api.initError()).json();

        assertThat(error).isEqualTo(json("{\"errorMessage\":\"Handler 'foo' missing on module 'app'\","
                + "\"errorType\":\"Runtime.HandlerNotFound\",\"requestId\":\"\",\"stackTrace\":[]}"));
        assertThat(runtime.awaitExit()).isEqualTo(1);
    }

    @Test
    void pythonBootstrap_whenHandlerNameHasNoDot_postsMalformedHandlerName() {
        write("app.py", "def handler(event, context):\n    return 1\n");
        start("app");

        JsonNode error = await(api.initError()).json();

        assertThat(error.get("errorType").asText()).isEqualTo("Runtime.MalformedHandlerName");
        assertThat(error.get("errorMessage").asText())
                .isEqualTo("Bad handler 'app': not enough values to unpack (expected 2, got 1)");
        assertThat(runtime.awaitExit()).isEqualTo(1);
    }

    @Test
    void pythonBootstrap_whenModuleHasSyntaxError_postsUserCodeSyntaxError() {
        write("app.py", "def handler(event, context)\n    return 1\n");
        start("app.handler");

        JsonNode error = await(api.initError()).json();

        assertThat(error.get("errorType").asText()).isEqualTo("Runtime.UserCodeSyntaxError");
        assertThat(error.get("errorMessage").asText()).startsWith("Syntax error in module 'app': ")
                .endsWith("(app.py, line 1)");
        assertThat(strings(error.get("stackTrace"))).containsExactly(
                "  File \"" + taskRoot.resolve("app.py") + "\" Line 1\n    def handler(event, context)\n");
        assertThat(runtime.awaitExit()).isEqualTo(1);
    }

    @Test
    void pythonBootstrap_whenModuleRaisesWhileImporting_postsThatExceptionWithImportTrace() {
        write("lambda_runtime_error.py", "raise Exception(\"Runtime startup fails\")\n");
        start("lambda_runtime_error.handler");

        JsonNode error = await(api.initError()).json();

        assertThat(error.get("errorMessage").asText()).isEqualTo("Runtime startup fails");
        assertThat(error.get("errorType").asText()).isEqualTo("Exception");
        assertThat(error.get("requestId").asText()).isEmpty();
        List<String> trace = strings(error.get("stackTrace"));
        assertThat(trace.get(0)).matches("  File \".*/importlib/__init__\\.py\", line \\d+, in import_module\n    .*\n");
        assertThat(trace.get(trace.size() - 1)).isEqualTo("  File \"" + taskRoot.resolve("lambda_runtime_error.py")
                + "\", line 1, in <module>\n    raise Exception(\"Runtime startup fails\")\n");
        assertThat(String.join("", trace)).doesNotContain("bootstrap.py");
    }

    // ------------------------------------------------------------------------------------------------ modules

    @Test
    void pythonBootstrap_whenHandlerIsInSubdirectory_importsItAsSubmodule() {
        write("pkg/sub/handler_module.py", "def handler(event, context):\n    return __name__\n");
        start("pkg/sub/handler_module.handler");

        assertThat(awaitPosted(api.invoke("{}")).json().asText()).isEqualTo("pkg.sub.handler_module");
    }

    @Test
    void pythonBootstrap_importsUserModulesFromTaskRootNotFromItsOwnDirectory() {
        write("bootstrap.py", "def handler(event, context):\n    return 'user bootstrap module'\n");
        start("bootstrap.handler");

        assertThat(awaitPosted(api.invoke("{}")).json().asText()).isEqualTo("user bootstrap module");
    }

    // ------------------------------------------------------------------------------------------------ context

    @Test
    void pythonBootstrap_givesHandlerTheAwsContextAndTraceIdEnvironment() {
        write("app.py", """
                import os
                def handler(event, context):
                    cc = context.client_context
                    return {
                        "function_name": context.function_name,
                        "function_version": context.function_version,
                        "invoked_function_arn": context.invoked_function_arn,
                        "memory_limit_in_mb": context.memory_limit_in_mb,
                        "aws_request_id": context.aws_request_id,
                        "log_group_name": context.log_group_name,
                        "log_stream_name": context.log_stream_name,
                        "remaining": context.get_remaining_time_in_millis(),
                        "identity": [context.identity.cognito_identity_id, context.identity.cognito_identity_pool_id],
                        "client_context": None if cc is None else {
                            "custom": cc.custom, "env": cc.env, "installation_id": cc.client.installation_id,
                            "app_title": cc.client.app_title},
                        "trace": os.environ.get("_X_AMZN_TRACE_ID", "unset"),
                    }
                """);
        start("app.handler");
        long deadline = System.currentTimeMillis() + 4_000;
        Map<String, String> headers = new HashMap<>();
        headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        headers.put("Lambda-Runtime-Trace-Id", "Root=1-bbb;Sampled=0");
        headers.put("Lambda-Runtime-Client-Context", "{\"custom\":{\"foo\":\"bar\"},\"client\":{\"installation_id\":\"inst-1\"},\"env\":{\"fizz\":\"buzz\"}}");
        headers.put("Lambda-Runtime-Cognito-Identity", "{\"cognitoIdentityId\":\"id-1\",\"cognitoIdentityPoolId\":\"pool-1\"}");

        Posted first = awaitPosted(api.invoke("{}", headers));
        Map<String, String> noTrace = new HashMap<>();
        noTrace.put("Lambda-Runtime-Trace-Id", null);
        Posted second = awaitPosted(api.invoke("{}", noTrace));

        JsonNode result = first.json();
        assertThat(result.get("function_name").asText()).isEqualTo(FUNCTION_NAME);
        assertThat(result.get("function_version").asText()).isEqualTo("$LATEST");
        assertThat(result.get("invoked_function_arn").asText()).isEqualTo(FakeRuntimeApi.FUNCTION_ARN);
        assertThat(result.get("memory_limit_in_mb").isTextual()).as("AWS gives a str").isTrue();
        assertThat(result.get("memory_limit_in_mb").asText()).isEqualTo("256");
        assertThat(result.get("aws_request_id").asText()).isEqualTo(requestIdOf(first));
        assertThat(result.get("log_group_name").asText()).isEqualTo(LOG_GROUP);
        assertThat(result.get("log_stream_name").asText()).isEqualTo(LOG_STREAM);
        assertThat(result.get("remaining").asLong()).isBetween(2_000L, 4_000L);
        assertThat(result.get("identity")).isEqualTo(json("[\"id-1\",\"pool-1\"]"));
        assertThat(result.get("client_context")).isEqualTo(json(
                "{\"custom\":{\"foo\":\"bar\"},\"env\":{\"fizz\":\"buzz\"},\"installation_id\":\"inst-1\",\"app_title\":null}"));
        assertThat(result.get("trace").asText()).isEqualTo("Root=1-bbb;Sampled=0");

        JsonNode next = second.json();
        assertThat(next.get("trace").asText()).isEqualTo("unset");
        assertThat(next.get("identity")).isEqualTo(json("[null,null]"));
        assertThat(next.get("client_context").isNull()).isTrue();
    }

    @Test
    void pythonBootstrap_whenDeadlineHasPassed_reportsZeroRemainingTime() {
        write("app.py", "def handler(event, context):\n    return context.get_remaining_time_in_millis()\n");
        start("app.handler");

        Posted posted = awaitPosted(api.invoke("{}",
                Map.of("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() - 1_000))));

        assertThat(posted.body()).isEqualTo("0");
    }

    @Test
    void pythonBootstrap_decodesNonAsciiClientContextSentAsUtf8OrLatin1() {
        write("app.py", "def handler(event, context):\n    return context.client_context.custom[\"name\"]\n");
        start("app.handler");
        String utf8BytesAsLatin1 = new String("{\"custom\":{\"name\":\"b\u00e4r \u20ac\"}}".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);

        Posted utf8 = awaitPosted(api.invoke("{}", Map.of("Lambda-Runtime-Client-Context", utf8BytesAsLatin1)));
        Posted latin1 = awaitPosted(api.invoke("{}", Map.of("Lambda-Runtime-Client-Context", "{\"custom\":{\"name\":\"b\u00e4r\"}}")));

        assertThat(utf8.json().asText()).isEqualTo("b\u00e4r \u20ac");
        assertThat(latin1.json().asText()).isEqualTo("b\u00e4r");
    }

    // ------------------------------------------------------------------------------------------------ logging

    @Test
    void pythonBootstrap_printsUnchangedAndFormatsLoggingRecordsLikeAws() {
        write("app.py", """
                import logging
                logging.basicConfig(level=logging.DEBUG)  # a no-op on AWS: the root logger already has a handler
                logger = logging.getLogger()
                print("loaded")
                def handler(event, context):
                    print("multi\\nline\\nstring")
                    print("another\\rline")
                    logger.info("hidden: the root logger level stays WARNING")
                    logger.warning("warned %s", 42)
                    logging.getLogger("child").error("two\\nlines")
                    return "ok"
                """);
        start("app.handler");

        Posted posted = awaitPosted(api.invoke("{}"));
        String id = requestIdOf(posted);
        runtime.awaitStdoutLine(l -> l.contains("two"));

        List<String> lines = runtime.stdoutLines();
        assertThat(lines).satisfiesExactly(
                l -> assertThat(l).isEqualTo("loaded"),
                l -> assertThat(l).isEqualTo("multi"),
                l -> assertThat(l).isEqualTo("line"),
                l -> assertThat(l).isEqualTo("string"),
                l -> assertThat(l).isEqualTo("another\rline"),
                l -> assertThat(l).matches("\\[WARNING\\]\t" + TIMESTAMP + "\t" + id + "\twarned 42"),
                l -> assertThat(l).matches("\\[ERROR\\]\t" + TIMESTAMP + "\t" + id + "\ttwo\rlines"),
                l -> assertThat(l).isEmpty());
        assertThat(runtime.stderr()).isEmpty();
    }

    @Test
    void pythonBootstrap_whenAwsLambdaLogLevelIsSet_appliesItToTheRootLogger() {
        write("app.py", """
                import logging
                def handler(event, context):
                    logging.getLogger().info("now visible")
                    logging.getLogger().debug("still hidden")
                    return "ok"
                """);
        start("app.handler", Map.of("AWS_LAMBDA_LOG_LEVEL", "INFO"));

        Posted posted = awaitPosted(api.invoke("{}"));

        assertThat(runtime.awaitStdoutLine(l -> l.contains("now visible")))
                .matches("\\[INFO\\]\t" + TIMESTAMP + "\t" + requestIdOf(posted) + "\tnow visible");
        assertThat(runtime.stdout()).doesNotContain("still hidden");
    }

    // ------------------------------------------------------------------------------------------------ transport

    @Test
    void pythonBootstrap_coldStartAndWarmRoundTrip_areFast() {
        write("app.py", "def handler(event, context):\n    return event\n");
        List<Double> coldStarts = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // the first spawn warms the page cache and is not counted
            api.close();
            try {
                api = new FakeRuntimeApi();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            if (runtime != null) runtime.close();
            start("app.handler");
            long firstNext = await(api.firstNextAt());
            if (i > 0) coldStarts.add((firstNext - runtime.startedAtNanos) / 1e6);
        }
        List<Double> roundTrips = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            roundTrips.add(awaitPosted(api.invoke("{\"i\":" + i + "}")).roundTripNanos() / 1e6);
        }
        double cold = median(coldStarts);
        double warm = median(roundTrips.subList(50, roundTrips.size()));
        System.out.printf("python bootstrap (%s): cold start (spawn -> first /next) median %.1f ms %s; "
                + "warm round trip (/next sent -> /response received) median %.3f ms%n", python, cold, coldStarts, warm);
        // loose bounds (the machine may be busy); the printed numbers are the measurement
        assertThat(coldStarts.stream().mapToDouble(Double::doubleValue).min().orElseThrow()).isLessThan(1_000);
        assertThat(warm).isLessThan(25);
    }

    @Override
    void startEchoFunction() {
        write("app.py", "def handler(event, context):\n    return event\n");
        start("app.handler");
    }

    @Override
    void startCountingFunction() {
        write("app.py", "n = 0\ndef handler(event, context):\n    global n\n    n += 1\n    return {\"n\": n, \"i\": event[\"i\"]}\n");
        start("app.handler");
    }
}
