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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.lamina.runtimes.FakeRuntimeApi.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Node.js bootstrap against the real {@code node} and a fake Runtime API. */
class NodeBootstrapTest extends RuntimeApiTransportContract {

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
    void nodeBootstrap_whenHandlerIsStreamified_streamsTheResponseChunked() throws IOException {
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
        assertThat(posted.header("Lambda-Runtime-Function-Response-Mode")).isEqualTo("streaming");
        assertThat(posted.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(posted.header("Trailer")).isEqualTo("Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body");
        assertThat(posted.header("Content-Length")).isNull();

        // a fresh Runtime API: the killed runtime's GET /next, parked in the old one, would take the next invocation
        runtime.close();
        api.close();
        api = new FakeRuntimeApi();
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
    void nodeBootstrap_whenEventsAndResponsesAre6MB_passesThemThroughIntact() {
        write("index.js", "exports.handler = async (event) => event;");
        start("index.handler");
        String big = bigJson(6 * 1024 * 1024);

        Posted posted = awaitPosted(api.invoke(big));

        assertThat(posted.kind()).isEqualTo("response");
        assertThat(posted.body().length()).isEqualTo(big.length());
        assertThat(posted.body().equals(big)).as("6 MB response equals the event").isTrue();
        assertThat(posted.header("Content-Length")).isEqualTo(Integer.toString(big.getBytes(StandardCharsets.UTF_8).length));
        // and the connection is still good for the next one
        assertThat(awaitPosted(api.invoke("{\"i\":2}")).json()).isEqualTo(json("{\"i\":2}"));
        assertThat(api.clientPorts()).hasSize(1);
    }

    @Test
    void nodeBootstrap_whenA6MBEventArrivesChunked_reassemblesIt() {
        api.useChunkedEvents();
        write("index.js", "exports.handler = async (event) => ({ length: event.data.length, u: event.u });");
        start("index.handler");
        String big = bigJson(6 * 1024 * 1024);

        Posted posted = awaitPosted(api.invoke(big));

        assertThat(posted.json()).isEqualTo(json("{\"length\":" + (big.length() - BIG_JSON_OVERHEAD) + ",\"u\":\"\u00fc\u20ac\"}"));
    }

    @Test
    void nodeBootstrap_whenStreamedResponseIs6MB_streamsItIntact() {
        write("index.mjs", """
                export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
                  responseStream.setContentType('text/plain; charset=utf-8');
                  for (let i = 0; i < 6; i++) responseStream.write('y'.repeat(1024 * 1024));
                  responseStream.end('\u00e9');
                });
                """);
        start("index.handler");

        Posted posted = awaitPosted(api.invoke("{}"));

        assertThat(posted.kind()).isEqualTo("response");
        assertThat(posted.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(posted.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(posted.body().equals("y".repeat(6 * 1024 * 1024) + "\u00e9")).as("streamed body").isTrue();
    }

    @Test
    void nodeBootstrap_handlesNonAsciiHeadersBothWays() {
        write("index.js", """
                exports.handler = async (event, context) => {
                  if (event.fail) { const e = new Error('m\u00e4h \u20ac'); e.name = 'Gr\u00fc\u00dfe\u20acError'; throw e; }
                  return { identity: context.identity, clientContext: context.clientContext, tenant: context.tenantId };
                };
                """);
        start("index.handler");
        String identity = "{\"cognitoIdentityId\":\"id-\u00e9\u20ac\",\"cognitoIdentityPoolId\":\"pool-\u00fc\"}";
        String clientContext = "{\"custom\":{\"name\":\"\u65e5\u672c\u8a9e\"}}";
        Map<String, String> headers = new HashMap<>();
        headers.put("Lambda-Runtime-Cognito-Identity", asLatin1(identity.getBytes(StandardCharsets.UTF_8)));
        headers.put("Lambda-Runtime-Client-Context", asLatin1(clientContext.getBytes(StandardCharsets.UTF_8)));
        headers.put("Lambda-Runtime-Aws-Tenant-Id", "tenant-1");

        JsonNode result = awaitPosted(api.invoke("{}", headers)).json();
        Posted failed = awaitPosted(api.invoke("{\"fail\":true}"));

        assertThat(result.get("identity")).isEqualTo(json(identity));
        assertThat(result.get("clientContext")).isEqualTo(json(clientContext));
        assertThat(result.get("tenant").asText()).isEqualTo("tenant-1");
        assertThat(failed.json().get("errorType").asText()).isEqualTo("Gr\u00fc\u00dfe\u20acError");
        assertThat(failed.json().get("errorMessage").asText()).isEqualTo("m\u00e4h \u20ac");
        assertThat(failed.header("Lambda-Runtime-Function-Error-Type")).isEqualTo("GreError");
    }

    @Test
    void nodeBootstrap_whenUncaughtExceptionWhileNextIsPending_reportsItOnAFreshConnectionAndExits() {
        write("index.js", """
                exports.handler = (event, context, callback) => {
                  context.callbackWaitsForEmptyEventLoop = false;
                  setTimeout(() => { throw new Error('late failure'); }, 200);
                  callback(null, 'done');
                };
                """);
        start("index.handler", Map.of("AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING", "1"));

        Posted posted = awaitPosted(api.invoke("{}"));

        assertThat(posted.body()).isEqualTo("\"done\"");
        assertThat(runtime.awaitExit()).isEqualTo(129);
        // the error went out on a second connection while GET /next was pending on the first
        assertThat(api.clientPorts()).hasSize(2);
        assertThat(api.unexpectedRequests()).singleElement().asString()
                .endsWith("/invocation/" + requestIdOf(posted) + "/error (unknown or already answered invocation)");
        assertThat(runtime.stdout()).contains("\tERROR\tUncaught Exception \t{\"errorType\":\"Error\",\"errorMessage\":\"late failure\"");
    }

    @Test
    void nodeBootstrap_whileBlockedInNext_staysAliveWithoutUsingCpu() throws Exception {
        Path stat = Path.of("/proc/self/stat");
        assumeTrue(Files.exists(stat), "needs /proc");
        write("index.js", "exports.handler = (event, context, callback) => { setTimeout(() => callback(null, 'ok'), 20); };");
        start("index.handler", Map.of("AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING", "1"));
        // the callback's result goes out from beforeExit, once the idle keep-alive connection no longer holds the loop
        assertThat(awaitPosted(api.invoke("{}")).body()).isEqualTo("\"ok\"");

        Thread.sleep(200); // back in GET /next
        long before = cpuTicks(runtime.process.pid());
        Thread.sleep(1_500);
        long after = cpuTicks(runtime.process.pid());

        assertThat(runtime.process.isAlive()).isTrue();
        assertThat(after - before).as("CPU ticks used in 1.5 s blocked in /next").isLessThanOrEqualTo(5);
        assertThat(awaitPosted(api.invoke("{}")).body()).isEqualTo("\"ok\"");
        assertThat(api.clientPorts()).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------------ HTTP/1.1 framing

    @Test
    void nodeBootstrap_parsesChunkedEventsSplitAcrossReads_afterAnInterimResponse_withAnyHeaderNameCase()
            throws Exception {
        write("index.js", """
                exports.handler = async (event, context) => ({
                  event, id: context.awsRequestId, arn: context.invokedFunctionArn,
                  trace: process.env._X_AMZN_TRACE_ID, remaining: context.getRemainingTimeInMillis(),
                });
                """);
        try (RawRuntimeApi raw = new RawRuntimeApi()) {
            String event = "{\"text\":\"h\u00e9llo w\u00f6rld \u20ac \ud83d\ude00\",\"n\":[1,2,3],\"s\":\"" + "z".repeat(300) + "\"}";
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("LAMBDA-RUNTIME-AWS-REQUEST-ID", "req-1");
            headers.put("lambda-runtime-deadline-ms", Long.toString(System.currentTimeMillis() + 5_000));
            headers.put("Lambda-Runtime-Invoked-Function-ARN", FakeRuntimeApi.FUNCTION_ARN);
            headers.put("lambda-runtime-trace-id", " \tRoot=1-abc;Sampled=1\t ");
            headers.put("Content-Type", "application/json");
            headers.put("TRANSFER-ENCODING", "Chunked");
            byte[] response = RawRuntimeApi.concat(RawRuntimeApi.latin1("HTTP/1.1 100 Continue\r\n\r\n"),
                    RawRuntimeApi.head(200, headers), RawRuntimeApi.chunked(RawRuntimeApi.utf8(event), 1, 2, 3, 5, 8, 13));
            raw.onNext((request, wire) -> wire.dribble(response, 3, 1));
            raw.onNext((request, wire) -> wire.send(RawRuntimeApi.invocation("req-2", "{\"second\":true}")));
            start("index.handler", Map.of("AWS_LAMBDA_RUNTIME_API", raw.address()));

            RawRuntimeApi.Request first = raw.awaitPost();
            RawRuntimeApi.Request second = raw.awaitPost();

            assertThat(first.target()).isEqualTo(raw.runtimePath("/invocation/req-1/response"));
            JsonNode result = json(first.bodyText());
            assertThat(result.get("event")).isEqualTo(json(event));
            assertThat(result.get("id").asText()).isEqualTo("req-1");
            assertThat(result.get("arn").asText()).isEqualTo(FakeRuntimeApi.FUNCTION_ARN);
            assertThat(result.get("trace").asText()).isEqualTo("Root=1-abc;Sampled=1");
            assertThat(result.get("remaining").asLong()).isBetween(1_000L, 5_000L);
            assertThat(first.header("Content-Type")).isEqualTo("application/json");
            assertThat(first.header("Content-Length")).isEqualTo(Integer.toString(first.body().length));
            assertThat(json(second.bodyText()).get("event")).isEqualTo(json("{\"second\":true}"));
            // everything on one connection, requests as the Runtime API expects them
            assertThat(raw.connections()).isEqualTo(1);
            RawRuntimeApi.Request next = raw.requests().get(0);
            assertThat(next.method()).isEqualTo("GET");
            assertThat(next.header("Host")).isEqualTo(raw.address().substring(0, raw.address().indexOf('/')));
            assertThat(next.body()).isEmpty();
        }
    }

    @Test
    void nodeBootstrap_whenEventBodyEndsWithTheConnection_readsItToTheEndAndReconnects() throws Exception {
        write("index.js", "exports.handler = async (event) => event;");
        try (RawRuntimeApi raw = new RawRuntimeApi()) {
            String big = "{\"big\":\"" + "x".repeat(200_000) + "\"}";
            raw.onNext((request, wire) -> { // neither Content-Length nor chunked: the body ends when the connection does
                wire.send(RawRuntimeApi.head(200, RawRuntimeApi.invocationHeaders("req-1")));
                wire.send(RawRuntimeApi.utf8(big.substring(0, 10)));
                Thread.sleep(20);
                wire.send(RawRuntimeApi.utf8(big.substring(10)));
                wire.close();
            });
            raw.onNext((request, wire) -> wire.send(RawRuntimeApi.invocation("req-2", "{\"i\":2}")));
            start("index.handler", Map.of("AWS_LAMBDA_RUNTIME_API", raw.address()));

            RawRuntimeApi.Request first = raw.awaitPost();
            RawRuntimeApi.Request second = raw.awaitPost();

            assertThat(first.bodyText().equals(big)).as("read-to-close body").isTrue();
            assertThat(first.connection()).isEqualTo(2);
            assertThat(second.bodyText()).isEqualTo("{\"i\":2}");
            assertThat(second.connection()).isEqualTo(2);
        }
    }

    @Test
    void nodeBootstrap_whenServerClosesTheIdleKeptAliveConnection_continuesOnAFreshOne() throws Exception {
        write("index.js", "exports.handler = async (event) => { await new Promise((r) => setTimeout(r, 200)); return event; };");
        try (RawRuntimeApi raw = new RawRuntimeApi()) {
            raw.onNext((request, wire) -> wire.send(RawRuntimeApi.invocation("req-1", "{\"i\":1}")));
            raw.onNext((request, wire) -> { // closed while the handler runs, like a server's keep-alive timeout
                wire.send(RawRuntimeApi.invocation("req-2", "{\"i\":2}"));
                wire.close();
            });
            raw.onNext((request, wire) -> wire.send(RawRuntimeApi.invocation("req-3", "{\"i\":3}")));
            start("index.handler", Map.of("AWS_LAMBDA_RUNTIME_API", raw.address()));

            RawRuntimeApi.Request first = raw.awaitPost();
            RawRuntimeApi.Request second = raw.awaitPost();
            RawRuntimeApi.Request third = raw.awaitPost();

            assertThat(List.of(first.bodyText(), second.bodyText(), third.bodyText()))
                    .containsExactly("{\"i\":1}", "{\"i\":2}", "{\"i\":3}");
            assertThat(List.of(first.connection(), second.connection(), third.connection())).containsExactly(1, 2, 2);
            assertThat(raw.connections()).isEqualTo(2);
        }
    }

    @Test
    void nodeBootstrap_whenResponseSaysConnectionClose_doesNotReuseTheConnection() throws Exception {
        write("index.js", "exports.handler = async (event) => event;");
        try (RawRuntimeApi raw = new RawRuntimeApi()) {
            // the server says close but leaves the connection open: the runtime must not send anything more on it
            raw.onPost((request, wire) -> wire.send(RawRuntimeApi.response(202, Map.of("Connection", "close"), "{}")));
            raw.onNext((request, wire) -> wire.send(RawRuntimeApi.invocation("req-1", "{\"i\":1}")));
            raw.onNext((request, wire) -> wire.send(RawRuntimeApi.invocation("req-2", "{\"i\":2}")));
            start("index.handler", Map.of("AWS_LAMBDA_RUNTIME_API", raw.address()));

            RawRuntimeApi.Request first = raw.awaitPost();
            RawRuntimeApi.Request second = raw.awaitPost();

            assertThat(first.connection()).isEqualTo(1);
            assertThat(second.connection()).isEqualTo(2);
            assertThat(raw.requests().subList(0, 4)).extracting(r -> r.method() + " " + r.connection())
                    .containsExactly("GET 1", "POST 1", "GET 2", "POST 2");
        }
    }

    @Test
    void nodeBootstrap_whenReusedConnectionIsReset_retriesTheRequestOnceOnAFreshConnection() throws Exception {
        write("index.js", "exports.handler = async (event) => event;");
        try (RawRuntimeApi raw = new RawRuntimeApi()) {
            AtomicInteger posts = new AtomicInteger();
            raw.onPost((request, wire) -> {
                if (posts.incrementAndGet() == 2) wire.reset(); // the second response POST, on a reused connection
                else wire.send(RawRuntimeApi.response(202, Map.of(), "{}"));
            });
            raw.onNext((request, wire) -> wire.send(RawRuntimeApi.invocation("req-1", "{\"i\":1}")));
            raw.onNext((request, wire) -> wire.reset()); // GET /next on the reused connection
            raw.onNext((request, wire) -> wire.send(RawRuntimeApi.invocation("req-2", "{\"i\":2}")));
            raw.onNext((request, wire) -> wire.send(RawRuntimeApi.invocation("req-3", "{\"i\":3}")));
            start("index.handler", Map.of("AWS_LAMBDA_RUNTIME_API", raw.address()));

            List<RawRuntimeApi.Request> posted = new ArrayList<>();
            for (int i = 0; i < 4; i++) posted.add(raw.awaitPost());

            assertThat(posted).extracting(r -> r.target().substring(r.target().lastIndexOf("/invocation/")) + " "
                    + r.bodyText() + " " + r.connection()).containsExactly(
                    "/invocation/req-1/response {\"i\":1} 1",
                    "/invocation/req-2/response {\"i\":2} 2", // reset
                    "/invocation/req-2/response {\"i\":2} 3", // retried
                    "/invocation/req-3/response {\"i\":3} 3");
            assertThat(raw.requests().subList(0, 8)).extracting(r -> r.method() + " " + r.connection())
                    .containsExactly("GET 1", "POST 1", "GET 1", "GET 2", "POST 2", "POST 3", "GET 3", "POST 3");
            assertThat(runtime.process.isAlive()).isTrue();
        }
    }

    @Test
    void nodeBootstrap_whenTheRetryFailsToo_exitsWithTheError() throws Exception {
        write("index.js", "exports.handler = async (event) => event;");
        try (RawRuntimeApi raw = new RawRuntimeApi()) {
            raw.onNext((request, wire) -> wire.send(RawRuntimeApi.invocation("req-1", "{\"i\":1}")));
            raw.onNext((request, wire) -> wire.close());
            raw.onNext((request, wire) -> wire.close());
            start("index.handler", Map.of("AWS_LAMBDA_RUNTIME_API", raw.address()));

            assertThat(raw.awaitPost().bodyText()).isEqualTo("{\"i\":1}");

            assertThat(runtime.awaitExit()).isEqualTo(1);
            assertThat(runtime.stderr()).contains("Lamina runtime: GET /invocation/next failed: Error: socket hang up");
            assertThat(raw.connections()).isEqualTo(2);
        }
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

    static final int BIG_JSON_OVERHEAD = "{\"data\":\"\",\"u\":\"\u00fc\u20ac\"}".length();

    /** A JSON document of about {@code size} characters: {"data":"xxx...","u":"üe"}. */
    static String bigJson(int size) {
        return "{\"data\":\"" + "x".repeat(size - BIG_JSON_OVERHEAD) + "\",\"u\":\"\u00fc\u20ac\"}";
    }

    /** Bytes as a latin1 string: how a header carrying UTF-8 bytes goes through the fake server. */
    static String asLatin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** utime + stime of a process, in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    @Override
    void startEchoFunction() {
        write("index.js", "exports.handler = async (event) => event;");
        start("index.handler");
    }

    @Override
    void startCountingFunction() {
        write("index.js", "let n = 0; exports.handler = async (event) => ({ n: ++n, i: event.i });");
        start("index.handler");
    }
}
