package io.lamina.runtimes;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.runtimes.FakeRuntimeApi.Posted;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.lamina.runtimes.FakeRuntimeApi.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Node.js bootstrap against the real {@code node} and a fake Runtime API. */
class NodeBootstrapTest extends BootstrapTestSupport {

    static final String NODE = Files.isExecutable(Path.of("/usr/bin/node")) ? "/usr/bin/node" : "node";
    static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @BeforeAll
    static void nodeIsInstalled() {
        boolean ok;
        try {
            ok = new ProcessBuilder(NODE, "--version").start().waitFor() == 0;
        } catch (Exception e) {
            ok = false;
        }
        assumeTrue(ok, "node is not installed");
    }

    @Override
    String bootstrapResource() {
        return "/io/lamina/runtimes/node/bootstrap.js";
    }

    @Override
    String bootstrapFileName() {
        return "bootstrap.js";
    }

    @Override
    List<String> command(Path bootstrap) {
        return List.of(NODE, bootstrap.toString());
    }

    @Override
    String executionEnv() {
        return "AWS_Lambda_nodejs20.x";
    }

    // ------------------------------------------------------------------------------------------------ results

    @Test
    void nodeBootstrap_whenAsyncHandlerReturns_postsResultUnderThePathPrefix() {
        write("index.js", "exports.handler = async (event) => ({ echo: event, n: 42, text: 'h\u00e9llo' });");
        start("index.handler");

        Posted posted = awaitPosted(api.invoke("{\"a\":[1,2,{\"b\":null}]}"));

        assertThat(posted.kind()).isEqualTo("response");
        assertThat(posted.path()).startsWith(api.prefix() + "/2018-06-01/runtime/invocation/").endsWith("/response");
        assertThat(posted.json()).isEqualTo(json("{\"echo\":{\"a\":[1,2,{\"b\":null}]},\"n\":42,\"text\":\"h\u00e9llo\"}"));
        assertThat(posted.header("Content-Type")).isEqualTo("application/json");
        assertThat(api.unexpectedRequests()).isEmpty();
    }

    @Test
    void nodeBootstrap_whenHandlerReturnsUndefined_postsNull() {
        write("index.js", "exports.handler = async () => {};");
        start("index.handler");

        assertThat(awaitPosted(api.invoke("{}")).body()).isEqualTo("null");
    }

    @Test
    void nodeBootstrap_whenSyncHandlerNeverCallsCallback_postsNullOnceEventLoopIsEmpty() {
        write("index.js", "exports.handler = (event, context, callback) => { setTimeout(() => {}, 50); };");
        start("index.handler");

        assertThat(awaitPosted(api.invoke("{}")).body()).isEqualTo("null");
    }

    @Test
    void nodeBootstrap_whenAsyncHandlerPromiseNeverSettles_postsNodeJsExitError() {
        write("index.js", "exports.handler = async () => { await new Promise(() => {}); };");
        start("index.handler");

        Posted posted = awaitPosted(api.invoke("{}"));

        assertThat(posted.kind()).isEqualTo("error");
        assertThat(posted.json().get("errorType").asText()).isEqualTo("Runtime.NodeJsExit");
        assertThat(posted.json().get("errorMessage").asText())
                .startsWith("The Lambda runtime client detected an unexpected Node.js exit code.");
    }

    @Test
    void nodeBootstrap_whenResultIsNotSerializable_postsStringifyError() {
        write("index.js", "exports.handler = async () => { const o = {}; o.self = o; return o; };");
        start("index.handler");

        Posted posted = awaitPosted(api.invoke("{}"));

        assertThat(posted.kind()).isEqualTo("error");
        assertThat(posted.json().get("errorType").asText()).isEqualTo("Error");
        assertThat(posted.json().get("errorMessage").asText()).isEqualTo("Unable to stringify response body");
    }

    @Test
    void nodeBootstrap_whenEventIsNotJson_postsSyntaxError() {
        write("index.js", "exports.handler = async (e) => e;");
        start("index.handler");

        Posted posted = awaitPosted(api.invoke("not json"));

        assertThat(posted.kind()).isEqualTo("error");
        assertThat(posted.json().get("errorType").asText()).isEqualTo("SyntaxError");
    }

    // ------------------------------------------------------------------------------------------------ errors

    @Test
    void nodeBootstrap_whenHandlerThrows_postsErrorWithTypeAndTrace() {
        write("index.js", """
                exports.handler = async (event) => {
                  throw new TypeError('bad input');
                };
                """);
        start("index.handler");

        Posted posted = awaitPosted(api.invoke("{}"));

        assertThat(posted.kind()).isEqualTo("error");
        JsonNode error = posted.json();
        assertThat(fieldNames(error)).containsExactly("errorType", "errorMessage", "trace");
        assertThat(error.get("errorType").asText()).isEqualTo("TypeError");
        assertThat(error.get("errorMessage").asText()).isEqualTo("bad input");
        List<String> trace = strings(error.get("trace"));
        assertThat(trace.get(0)).isEqualTo("TypeError: bad input");
        assertThat(trace.get(1)).contains(taskRoot.resolve("index.js") + ":2:9");
        assertThat(posted.header("Lambda-Runtime-Function-Error-Type")).isEqualTo("TypeError");

        String requestId = requestIdOf(posted);
        String logLine = runtime.awaitStdoutLine(l -> l.contains("Invoke Error"));
        assertThat(logLine).matches(TIMESTAMP + "\t" + requestId + "\tERROR\tInvoke Error \t\\{.*");
        JsonNode logged = json(logLine.substring(logLine.indexOf("\t{") + 1));
        assertThat(logged.get("errorType").asText()).isEqualTo("TypeError");
        assertThat(logged.get("errorMessage").asText()).isEqualTo("bad input");
        assertThat(strings(logged.get("stack")).get(0)).isEqualTo("TypeError: bad input");
    }

    @Test
    void nodeBootstrap_whenErrorHasCustomName_usesItAsErrorType() {
        write("index.js", """
                class ValidationError extends Error {
                  constructor(message) { super(message); this.name = 'ValidationError'; }
                }
                exports.handler = async () => { throw new ValidationError('field x'); };
                """);
        start("index.handler");

        JsonNode error = awaitPosted(api.invoke("{}")).json();

        assertThat(error.get("errorType").asText()).isEqualTo("ValidationError");
        assertThat(error.get("errorMessage").asText()).isEqualTo("field x");
    }

    @Test
    void nodeBootstrap_whenCallbackGetsNonError_postsTypeofAsErrorType() {
        write("index.js", "exports.handler = (event, context, callback) => callback('plain failure');");
        start("index.handler");

        JsonNode error = awaitPosted(api.invoke("{}")).json();

        assertThat(error).isEqualTo(json("{\"errorType\":\"string\",\"errorMessage\":\"plain failure\",\"trace\":[]}"));
    }

    @Test
    void nodeBootstrap_whenUncaughtExceptionDuringInvocation_postsErrorAndExits129() {
        write("index.js", """
                exports.handler = (event, context, callback) => {
                  setTimeout(() => { throw new RangeError('from a timer'); }, 10);
                };
                """);
        start("index.handler");

        Posted posted = awaitPosted(api.invoke("{}"));

        assertThat(posted.kind()).isEqualTo("error");
        assertThat(posted.json().get("errorType").asText()).isEqualTo("RangeError");
        assertThat(posted.json().get("errorMessage").asText()).isEqualTo("from a timer");
        assertThat(runtime.awaitExit()).isEqualTo(129);
        assertThat(runtime.stdout()).contains("\tERROR\tUncaught Exception \t{\"errorType\":\"RangeError\"");
    }

    @Test
    void nodeBootstrap_whenPromiseRejectionIsUnhandled_postsUnhandledPromiseRejectionAndExits128() {
        write("index.js", """
                exports.handler = (event, context, callback) => {
                  Promise.reject(new Error('nobody catches me'));
                };
                """);
        start("index.handler");

        JsonNode error = awaitPosted(api.invoke("{}")).json();

        assertThat(error.get("errorType").asText()).isEqualTo("Runtime.UnhandledPromiseRejection");
        assertThat(error.get("errorMessage").asText()).isEqualTo("Error: nobody catches me");
        assertThat(runtime.awaitExit()).isEqualTo(128);
    }

    // ------------------------------------------------------------------------------------------------ init errors

    @Test
    void nodeBootstrap_whenModuleIsMissing_postsImportModuleErrorAndExits() throws IOException {
        start("index.handler");

        Posted posted = await(api.initError());

        JsonNode error = posted.json();
        assertThat(error.get("errorType").asText()).isEqualTo("Runtime.ImportModuleError");
        assertThat(error.get("errorMessage").asText())
                .isEqualTo("Error: Cannot find module 'index'\nRequire stack:\n- " + bootstrap.toRealPath());
        assertThat(strings(error.get("trace")).subList(0, 3)).containsExactly(
                "Runtime.ImportModuleError: Error: Cannot find module 'index'", "Require stack:",
                "- " + bootstrap.toRealPath());
        assertThat(posted.header("Lambda-Runtime-Function-Error-Type")).isEqualTo("Runtime.ImportModuleError");
        assertThat(posted.path()).isEqualTo(api.prefix() + "/2018-06-01/runtime/init/error");
        assertThat(runtime.awaitExit()).isEqualTo(129);
        assertThat(runtime.stdout()).matches("(?s)" + TIMESTAMP
                + "\tundefined\tERROR\tUncaught Exception \t\\{\"errorType\":\"Runtime.ImportModuleError\",\"errorMessage\":\"Error: Cannot find module 'index'\\\\nRequire stack:.*\n");
    }

    @Test
    void nodeBootstrap_whenDependencyOfHandlerIsMissing_postsImportModuleError() {
        write("index.js", "const x = require('left-pad-that-does-not-exist'); exports.handler = async () => x;");
        start("index.handler");

        JsonNode error = await(api.initError()).json();

        assertThat(error.get("errorType").asText()).isEqualTo("Runtime.ImportModuleError");
        assertThat(error.get("errorMessage").asText())
                .startsWith("Error: Cannot find module 'left-pad-that-does-not-exist'\nRequire stack:\n- "
                        + taskRoot.resolve("index.js"));
    }

    @Test
    void nodeBootstrap_whenFunctionIsNotExported_postsHandlerNotFound() {
        write("index.js", "exports.other = async () => 1; exports.notAFunction = 42;");
        start("index.foo");

        Posted posted = await(api.initError());

        assertThat(posted.json().get("errorType").asText()).isEqualTo("Runtime.HandlerNotFound");
        assertThat(posted.json().get("errorMessage").asText()).isEqualTo("index.foo is undefined or not exported");
        assertThat(runtime.awaitExit()).isEqualTo(129);
    }

    @Test
    void nodeBootstrap_whenHandlerIsNotAFunction_postsHandlerNotFound() {
        write("index.js", "exports.notAFunction = 42;");
        start("index.notAFunction");

        assertThat(await(api.initError()).json().get("errorMessage").asText())
                .isEqualTo("index.notAFunction is not a function");
    }

    @Test
    void nodeBootstrap_whenHandlerNameHasNoDot_postsMalformedHandlerName() {
        write("index.js", "exports.handler = async () => 1;");
        start("index");

        JsonNode error = await(api.initError()).json();

        assertThat(error.get("errorType").asText()).isEqualTo("Runtime.MalformedHandlerName");
        assertThat(error.get("errorMessage").asText()).isEqualTo("Bad handler");
        assertThat(runtime.awaitExit()).isEqualTo(129);
    }

    @Test
    void nodeBootstrap_whenHandlerNameEscapesTaskRoot_postsMalformedHandlerName() {
        start("../index.handler");

        assertThat(await(api.initError()).json().get("errorMessage").asText()).isEqualTo(
                "'../index.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names.");
    }

    @Test
    void nodeBootstrap_whenModuleHasSyntaxError_postsUserCodeSyntaxError() {
        write("index.js", "exports.handler = async (event => {\n  return 1;\n};\n");
        start("index.handler");

        JsonNode error = await(api.initError()).json();

        assertThat(error.get("errorType").asText()).isEqualTo("Runtime.UserCodeSyntaxError");
        assertThat(error.get("errorMessage").asText()).startsWith("SyntaxError: ");
        assertThat(strings(error.get("trace")).get(0)).startsWith("Runtime.UserCodeSyntaxError: SyntaxError: ");
        assertThat(runtime.awaitExit()).isEqualTo(129);
    }

    @Test
    void nodeBootstrap_whenModuleThrowsWhileLoading_postsThatErrorAsInitError() {
        write("index.mjs", "throw new Error('Runtime startup fails');\nexport const handler = async () => 1;\n");
        start("index.handler");

        JsonNode error = await(api.initError()).json();

        assertThat(error.get("errorType").asText()).isEqualTo("Error");
        assertThat(error.get("errorMessage").asText()).isEqualTo("Runtime startup fails");
        assertThat(runtime.awaitExit()).isEqualTo(129);
    }

    // ------------------------------------------------------------------------------------------------ module kinds

    @Test
    void nodeBootstrap_whenHandlerIsAnEsModule_importsIt() {
        write("index.mjs", """
                import { basename } from 'node:path';
                const file = basename(new URL(import.meta.url).pathname);
                const ready = await Promise.resolve('top-level await works');
                export const handler = async (event) => ({ file, ready, got: event.x });
                """);
        start("index.handler");

        assertThat(awaitPosted(api.invoke("{\"x\":7}")).json())
                .isEqualTo(json("{\"file\":\"index.mjs\",\"ready\":\"top-level await works\",\"got\":7}"));
    }

    @Test
    void nodeBootstrap_whenPackageJsonSaysTypeModule_importsJsAsEsModule() {
        write("package.json", "{\"type\":\"module\"}");
        write("app.js", "export const handler = async () => ({ esm: typeof require === 'undefined' });");
        start("app.handler");

        assertThat(awaitPosted(api.invoke("{}")).json()).isEqualTo(json("{\"esm\":true}"));
    }

    @Test
    void nodeBootstrap_whenHandlerIsCjsFileInSubdirectoryWithNestedProperty_resolvesIt() {
        write("src/lib/app.cjs", "module.exports = { api: { v1: { handler: async () => 'nested' } } };");
        start("src/lib/app.api.v1.handler");

        assertThat(awaitPosted(api.invoke("{}")).json().asText()).isEqualTo("nested");
    }

    // ------------------------------------------------------------------------------------------------ callbacks

    @Test
    void nodeBootstrap_whenCallbackIsCalled_waitsForEmptyEventLoopBeforeResponding() {
        write("index.js", """
                exports.handler = (event, context, callback) => {
                  const result = { timerFired: false };
                  setTimeout(() => { result.timerFired = true; }, 100);
                  callback(null, result);
                };
                """);
        start("index.handler");

        assertThat(awaitPosted(api.invoke("{}")).json()).isEqualTo(json("{\"timerFired\":true}"));
        assertThat(runtime.stdoutLines().get(0)).matches(TIMESTAMP
                + "\tundefined\tWARN\tAWS Lambda plans to remove support for callback-based function handlers starting with Node.js 24\\. .*");
    }

    @Test
    void nodeBootstrap_whenCallbackWaitsForEmptyEventLoopIsFalse_respondsImmediately() {
        write("index.js", """
                exports.handler = (event, context, callback) => {
                  context.callbackWaitsForEmptyEventLoop = false;
                  const result = { timerFired: false };
                  setTimeout(() => { result.timerFired = true; }, 300);
                  callback(null, result);
                };
                """);
        start("index.handler");

        assertThat(awaitPosted(api.invoke("{}")).json()).isEqualTo(json("{\"timerFired\":false}"));
        // the next invocation still works while the timer is pending
        assertThat(awaitPosted(api.invoke("{}")).json()).isEqualTo(json("{\"timerFired\":false}"));
    }

    @Test
    void nodeBootstrap_whenLegacyContextMethodsAreUsed_respondsAccordingly() {
        write("index.js", """
                exports.handler = (event, context) => {
                  if (event.op === 'succeed') context.succeed({ ok: 1 });
                  else if (event.op === 'fail') context.fail(new Error('failed via context'));
                  else if (event.op === 'failEmpty') context.fail();
                  else { context.done(null, 'done!'); context.succeed('ignored second call'); }
                };
                """);
        start("index.handler");

        assertThat(awaitPosted(api.invoke("{\"op\":\"succeed\"}")).json()).isEqualTo(json("{\"ok\":1}"));
        Posted failed = awaitPosted(api.invoke("{\"op\":\"fail\"}"));
        assertThat(failed.kind()).isEqualTo("error");
        assertThat(failed.json().get("errorMessage").asText()).isEqualTo("failed via context");
        Posted failedEmpty = awaitPosted(api.invoke("{\"op\":\"failEmpty\"}"));
        assertThat(failedEmpty.json()).isEqualTo(json("{\"errorType\":\"string\",\"errorMessage\":\"handled\",\"trace\":[]}"));
        assertThat(awaitPosted(api.invoke("{\"op\":\"done\"}")).json().asText()).isEqualTo("done!");
    }

    // ------------------------------------------------------------------------------------------------ context

    @Test
    void nodeBootstrap_givesHandlerTheAwsContextAndTraceIdEnvironment() {
        write("index.js", """
                exports.handler = async (event, context) => ({
                  json: JSON.parse(JSON.stringify(context)),
                  remaining: context.getRemainingTimeInMillis(),
                  identity: context.identity === undefined ? 'undefined' : context.identity,
                  clientContext: context.clientContext === undefined ? 'undefined' : context.clientContext,
                  trace: process.env._X_AMZN_TRACE_ID === undefined ? 'unset' : process.env._X_AMZN_TRACE_ID,
                  methods: [typeof context.succeed, typeof context.fail, typeof context.done],
                });
                """);
        start("index.handler");
        long deadline = System.currentTimeMillis() + 4_000;
        Map<String, String> headers = new HashMap<>();
        headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        headers.put("Lambda-Runtime-Trace-Id", "Root=1-aaa;Sampled=1");
        headers.put("Lambda-Runtime-Client-Context", "{\"custom\":{\"foo\":\"bar\"},\"client\":{\"installation_id\":\"inst-1\"},\"env\":{\"fizz\":\"buzz\"}}");
        headers.put("Lambda-Runtime-Cognito-Identity", "{\"cognitoIdentityId\":\"id-1\",\"cognitoIdentityPoolId\":\"pool-1\"}");

        Posted first = awaitPosted(api.invoke("{}", headers));
        Map<String, String> noTrace = new HashMap<>();
        noTrace.put("Lambda-Runtime-Trace-Id", null);
        Posted second = awaitPosted(api.invoke("{}", noTrace));

        JsonNode result = first.json();
        JsonNode context = result.get("json");
        assertThat(fieldNames(context)).containsExactly("callbackWaitsForEmptyEventLoop", "functionVersion",
                "functionName", "memoryLimitInMB", "logGroupName", "logStreamName", "clientContext", "identity",
                "invokedFunctionArn", "awsRequestId");
        assertThat(context.get("callbackWaitsForEmptyEventLoop").asBoolean()).isTrue();
        assertThat(context.get("functionName").asText()).isEqualTo(FUNCTION_NAME);
        assertThat(context.get("functionVersion").asText()).isEqualTo("$LATEST");
        assertThat(context.get("memoryLimitInMB").isTextual()).isTrue();
        assertThat(context.get("memoryLimitInMB").asText()).isEqualTo("256");
        assertThat(context.get("logGroupName").asText()).isEqualTo(LOG_GROUP);
        assertThat(context.get("logStreamName").asText()).isEqualTo(LOG_STREAM);
        assertThat(context.get("invokedFunctionArn").asText()).isEqualTo(FakeRuntimeApi.FUNCTION_ARN);
        assertThat(context.get("awsRequestId").asText()).isEqualTo(requestIdOf(first));
        assertThat(result.get("clientContext")).isEqualTo(json(headers.get("Lambda-Runtime-Client-Context")));
        assertThat(result.get("identity")).isEqualTo(json(headers.get("Lambda-Runtime-Cognito-Identity")));
        long remaining = result.get("remaining").asLong();
        assertThat(remaining).isBetween(2_000L, 4_000L);
        assertThat(result.get("trace").asText()).isEqualTo("Root=1-aaa;Sampled=1");
        assertThat(strings(result.get("methods"))).containsExactly("function", "function", "function");

        assertThat(second.json().get("trace").asText()).isEqualTo("unset");
        assertThat(second.json().get("identity").asText()).isEqualTo("undefined");
        assertThat(second.json().get("clientContext").asText()).isEqualTo("undefined");
    }

    @Test
    void nodeBootstrap_decodesNonAsciiClientContextSentAsUtf8OrLatin1() {
        write("index.js", "exports.handler = async (event, context) => context.clientContext.custom.name;");
        start("index.handler");
        String utf8BytesAsLatin1 = new String("{\"custom\":{\"name\":\"b\u00e4r \u20ac\"}}".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);

        Posted utf8 = awaitPosted(api.invoke("{}", Map.of("Lambda-Runtime-Client-Context", utf8BytesAsLatin1)));
        Posted latin1 = awaitPosted(api.invoke("{}", Map.of("Lambda-Runtime-Client-Context", "{\"custom\":{\"name\":\"b\u00e4r\"}}")));

        assertThat(utf8.json().asText()).isEqualTo("b\u00e4r \u20ac");
        assertThat(latin1.json().asText()).isEqualTo("b\u00e4r");
    }

    // ------------------------------------------------------------------------------------------------ streaming

    @Test
    void nodeBootstrap_whenHandlerIsStreamified_postsTheBufferedStream() {
        write("index.mjs", """
                export const handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
                  responseStream.setContentType('text/plain');
                  responseStream.write('hello ');
                  await new Promise((r) => setTimeout(r, 10));
                  responseStream.end(context.functionName);
                });
                """);
        write("http.mjs", """
                export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
                  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201 });
                  stream.end('body');
                });
                """);
        start("index.handler");

        Posted posted = awaitPosted(api.invoke("{}"));

        assertThat(posted.kind()).isEqualTo("response");
        assertThat(posted.body()).isEqualTo("hello " + FUNCTION_NAME);
        assertThat(posted.header("Content-Type")).isEqualTo("text/plain");

        runtime.close();
        start("http.handler");
        Posted http = awaitPosted(api.invoke("{}"));
        assertThat(http.header("Content-Type")).isEqualTo("application/vnd.awslambda.http-integration-response");
        assertThat(http.body()).isEqualTo("{\"statusCode\":201}" + "\0".repeat(8) + "body");
    }

    // ------------------------------------------------------------------------------------------------ logging

    @Test
    void nodeBootstrap_patchesConsoleToWriteAwsLogRecords() {
        write("index.js", """
                console.log('loaded');
                exports.handler = async () => {
                  console.log('hello %s', 'world', 42);
                  console.info('an info');
                  console.warn('a warning');
                  console.error('an error', { code: 7 });
                  console.debug('a debug');
                  console.trace('a trace');
                  console.log('first line\\nsecond line');
                  process.stdout.write('raw write\\n');
                  return 'ok';
                };
                """);
        start("index.handler");

        Posted posted = awaitPosted(api.invoke("{}"));
        String id = requestIdOf(posted);
        runtime.awaitStdoutLine(l -> l.equals("raw write"));

        List<String> lines = runtime.stdoutLines();
        assertThat(lines.get(0)).matches(TIMESTAMP + "\tundefined\tINFO\tloaded");
        assertThat(lines.subList(1, 10)).satisfiesExactly(
                l -> assertThat(l).matches(TIMESTAMP + "\t" + id + "\tINFO\thello world 42"),
                l -> assertThat(l).matches(TIMESTAMP + "\t" + id + "\tINFO\tan info"),
                l -> assertThat(l).matches(TIMESTAMP + "\t" + id + "\tWARN\ta warning"),
                l -> assertThat(l).matches(TIMESTAMP + "\t" + id + "\tERROR\tan error \\{ code: 7 \\}"),
                l -> assertThat(l).matches(TIMESTAMP + "\t" + id + "\tDEBUG\ta debug"),
                l -> assertThat(l).matches(TIMESTAMP + "\t" + id + "\tTRACE\ta trace"),
                l -> assertThat(l).matches(TIMESTAMP + "\t" + id + "\tINFO\tfirst line\rsecond line"),
                l -> assertThat(l).isEqualTo("raw write"),
                l -> assertThat(l).isEmpty());
    }

    // ------------------------------------------------------------------------------------------------ transport

    @Test
    void nodeBootstrap_servesManyInvocationsOverOneKeepAliveConnection() {
        write("index.js", "let n = 0; exports.handler = async (event) => ({ n: ++n, i: event.i });");
        start("index.handler");

        for (int i = 1; i <= 5; i++) {
            assertThat(awaitPosted(api.invoke("{\"i\":" + i + "}")).json())
                    .isEqualTo(json("{\"n\":" + i + ",\"i\":" + i + "}"));
        }
        assertThat(api.clientPorts()).hasSize(1);
    }

    @Test
    void nodeBootstrap_whenRuntimeApiDropsTheConnection_reconnectsAndCarriesOn() {
        write("index.js", "exports.handler = async (event) => event;");
        start("index.handler");
        assertThat(awaitPosted(api.invoke("{\"i\":1}")).json()).isEqualTo(json("{\"i\":1}"));

        api.dropNextConnection();
        assertThat(awaitPosted(api.invoke("{\"i\":2}")).json()).isEqualTo(json("{\"i\":2}"));
        assertThat(awaitPosted(api.invoke("{\"i\":3}")).json()).isEqualTo(json("{\"i\":3}"));

        assertThat(api.clientPorts()).hasSize(2);
    }

    @Test
    void nodeBootstrap_whenEventsArriveChunked_reassemblesThem() {
        api.useChunkedEvents();
        write("index.js", "exports.handler = async (event) => event;");
        start("index.handler");

        String big = "{\"data\":\"" + "x".repeat(100_000) + "\",\"u\":\"\u00fc\u20ac\"}";
        assertThat(awaitPosted(api.invoke(big)).json()).isEqualTo(json(big));
    }

    @Test
    void nodeBootstrap_coldStartAndWarmRoundTrip_areFast() {
        write("index.js", "exports.handler = async (event) => event;");
        List<Double> coldStarts = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // the first spawn warms the page cache and is not counted
            api.close();
            try {
                api = new FakeRuntimeApi();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            if (runtime != null) runtime.close();
            start("index.handler");
            long firstNext = await(api.firstNextAt());
            if (i > 0) coldStarts.add((firstNext - runtime.startedAtNanos) / 1e6);
        }
        List<Double> roundTrips = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            roundTrips.add(awaitPosted(api.invoke("{\"i\":" + i + "}")).roundTripNanos() / 1e6);
        }
        double cold = median(coldStarts);
        double warm = median(roundTrips.subList(50, roundTrips.size()));
        System.out.printf("node bootstrap: cold start (spawn -> first /next) median %.1f ms %s; "
                + "warm round trip (/next sent -> /response received) median %.3f ms%n", cold, coldStarts, warm);
        // loose bounds (the machine may be busy); the printed numbers are the measurement
        assertThat(coldStarts.stream().mapToDouble(Double::doubleValue).min().orElseThrow()).isLessThan(1_000);
        assertThat(warm).isLessThan(25);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static JsonNode json(String text) {
        try {
            return FakeRuntimeApi.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String requestIdOf(Posted posted) {
        String path = posted.path();
        String afterInvocation = path.substring(path.indexOf("/invocation/") + "/invocation/".length());
        return afterInvocation.substring(0, afterInvocation.indexOf('/'));
    }
}
