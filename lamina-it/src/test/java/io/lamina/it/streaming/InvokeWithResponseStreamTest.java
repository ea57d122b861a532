package io.lamina.it.streaming;

import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponseStreamUpdate;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamCompleteEvent;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamRequest;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamResponse;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * InvokeWithResponseStream end to end with the SDK's async client: chunks arrive as the function writes
 * them, errors after the start end up in InvokeComplete, and functions that do not stream still answer.
 */
class InvokeWithResponseStreamTest {
    static LaminaFixture lamina;
    static LambdaAsyncClient client;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        lamina.create("stream-slow", Runtime.NODEJS20_X, "index.handler", Functions.node("""
                exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
                  responseStream.setContentType('text/plain');
                  responseStream.write('first ');
                  await new Promise((r) => setTimeout(r, 1000));
                  responseStream.write('second');
                  responseStream.end();
                });
                """));
        lamina.create("stream-fails", Runtime.NODEJS20_X, "index.handler", Functions.node("""
                exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
                  responseStream.write('partial');
                  await new Promise((r) => setTimeout(r, 50));
                  throw new TypeError('boom after the start');
                });
                """));
        lamina.create("buffered", Runtime.NODEJS20_X, "index.handler", Functions.node("""
                exports.handler = async (event) => { console.log('buffered ran'); return { echo: event }; };
                """));
        lamina.create(b -> b.functionName("stream-timeout").runtime(Runtime.NODEJS20_X).handler("index.handler").timeout(1)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.node("""
                        exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
                          responseStream.write('before the timeout');
                          await new Promise((r) => setTimeout(r, 5000));
                          responseStream.end();
                        });
                        """)))));
        // A custom runtime speaking the streaming protocol over a raw socket, error trailers included.
        lamina.create("stream-custom", Runtime.PROVIDED_AL2023, "x", Functions.bash("""
                  python3 - "$REQUEST_ID" <<'PY'
                import base64, json, os, socket, sys, time
                hostport, _, token = os.environ['AWS_LAMBDA_RUNTIME_API'].partition('/')
                host, port = hostport.rsplit(':', 1)
                s = socket.create_connection((host, int(port)))
                s.sendall(('POST /' + token + '/2018-06-01/runtime/invocation/' + sys.argv[1] + '/response HTTP/1.1\\r\\n'
                           'Host: ' + hostport + '\\r\\nLambda-Runtime-Function-Response-Mode: streaming\\r\\n'
                           'Content-Type: text/event-stream\\r\\nTransfer-Encoding: chunked\\r\\n'
                           'Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\\r\\n\\r\\n').encode())
                for piece in (b'data: one\\n\\n', b'data: two\\n\\n'):
                    s.sendall(b'%x;note=x\\r\\n' % len(piece) + piece + b'\\r\\n')
                    time.sleep(0.3)
                doc = json.dumps({'errorType': 'Custom.Failure', 'errorMessage': 'the feed broke', 'stackTrace': []})
                s.sendall(b'0\\r\\nLambda-Runtime-Function-Error-Type: Custom.Failure\\r\\n'
                          b'Lambda-Runtime-Function-Error-Body: ' + base64.b64encode(doc.encode()) + b'\\r\\n\\r\\n')
                s.recv(4096)
                PY
                """));
        client = LambdaAsyncClient.builder()
                .endpointOverride(URI.create(lamina.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)))
                .build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        lamina.close();
    }

    /** What the SDK delivered: the response, each chunk with the time it arrived, the completion event. */
    record Received(InvokeWithResponseStreamResponse response, List<byte[]> chunks, List<Long> arrivedNanos,
                    InvokeWithResponseStreamCompleteEvent complete) {
        String body() {
            var out = new ByteArrayOutputStream();
            chunks.forEach(out::writeBytes);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static Received invoke(InvokeWithResponseStreamRequest request) throws Exception {
        var response = new AtomicReference<InvokeWithResponseStreamResponse>();
        var chunks = java.util.Collections.synchronizedList(new ArrayList<byte[]>());
        var arrived = java.util.Collections.synchronizedList(new ArrayList<Long>());
        var complete = new AtomicReference<InvokeWithResponseStreamCompleteEvent>();
        var handler = InvokeWithResponseStreamResponseHandler.builder()
                .onResponse(response::set)
                .subscriber(InvokeWithResponseStreamResponseHandler.Visitor.builder()
                        .onPayloadChunk((InvokeResponseStreamUpdate u) -> {
                            arrived.add(System.nanoTime());
                            chunks.add(u.payload().asByteArray());
                        })
                        .onInvokeComplete(complete::set)
                        .build())
                .build();
        client.invokeWithResponseStream(request, handler).get(60, TimeUnit.SECONDS);
        return new Received(response.get(), List.copyOf(chunks), List.copyOf(arrived), complete.get());
    }

    @Test
    void streamingFunction_firstChunkArrivesBeforeTheFunctionFinishes() throws Exception {
        Received r = invoke(InvokeWithResponseStreamRequest.builder().functionName("stream-slow").build());

        assertThat(r.body()).isEqualTo("first second");
        assertThat(r.chunks()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(new String(r.chunks().get(0), StandardCharsets.UTF_8)).isEqualTo("first ");
        long gapMs = (r.arrivedNanos().get(r.arrivedNanos().size() - 1) - r.arrivedNanos().get(0)) / 1_000_000;
        assertThat(gapMs).as("the first chunk came a second before the last").isGreaterThanOrEqualTo(800);
        assertThat(r.response().statusCode()).isEqualTo(200);
        assertThat(r.response().executedVersion()).isEqualTo("$LATEST");
        assertThat(r.response().responseStreamContentType()).isEqualTo("text/plain");
        assertThat(r.complete()).isNotNull();
        assertThat(r.complete().errorCode()).isNull();
    }

    @Test
    void streamingFunction_errorAfterTheStart_endsInInvokeComplete() throws Exception {
        Received r = invoke(InvokeWithResponseStreamRequest.builder().functionName("stream-fails").build());

        assertThat(r.body()).isEqualTo("partial");
        assertThat(r.complete().errorCode()).isEqualTo("TypeError");
        assertThat(r.complete().errorDetails()).isEqualTo("boom after the start");

        // the environment is reusable afterwards, and the next stream is clean
        Received again = invoke(InvokeWithResponseStreamRequest.builder().functionName("stream-fails").build());
        assertThat(again.body()).isEqualTo("partial");
    }

    @Test
    void customRuntime_streamingWithErrorTrailers_endsInInvokeComplete() throws Exception {
        Received r = invoke(InvokeWithResponseStreamRequest.builder().functionName("stream-custom").build());

        assertThat(r.body()).isEqualTo("data: one\n\ndata: two\n\n");
        assertThat(r.response().responseStreamContentType()).isEqualTo("text/event-stream");
        assertThat(r.complete().errorCode()).isEqualTo("Custom.Failure");
        assertThat(r.complete().errorDetails()).isEqualTo("the feed broke");
        assertThat(r.complete().logResult()).isNull();
    }

    @Test
    void plainInvoke_ofAStreamThatFails_isAnUnhandledFunctionError() {
        var r = lamina.lambda().invoke(b -> b.functionName("stream-fails"));

        assertThat(r.functionError()).isEqualTo("Unhandled");
        assertThat(r.payload().asUtf8String()).contains("\"errorType\":\"TypeError\"")
                .contains("\"errorMessage\":\"boom after the start\"");
    }

    @Test
    void bufferedFunction_answersWithOneChunkAndItsLog() throws Exception {
        Received r = invoke(InvokeWithResponseStreamRequest.builder().functionName("buffered")
                .payload(SdkBytes.fromUtf8String("{\"n\":1}")).logType(LogType.TAIL).build());

        assertThat(r.chunks()).hasSize(1);
        assertThat(r.body()).isEqualTo("{\"echo\":{\"n\":1}}");
        assertThat(r.complete().errorCode()).isNull();
        String log = new String(Base64.getDecoder().decode(r.complete().logResult()), StandardCharsets.UTF_8);
        assertThat(log).contains("START RequestId:").contains("buffered ran").contains("REPORT RequestId:");
    }

    @Test
    void streamingFunction_pastItsTimeout_endsWithSandboxTimedout() throws Exception {
        Received r = invoke(InvokeWithResponseStreamRequest.builder().functionName("stream-timeout").build());

        assertThat(r.body()).isEqualTo("before the timeout");
        assertThat(r.complete().errorCode()).isEqualTo("Sandbox.Timedout");
        assertThat(r.complete().errorDetails()).endsWith("Task timed out after 1.00 seconds");
    }

    @Test
    void plainInvoke_ofAStreamingFunction_answersTheWholeStreamAtOnce() {
        var r = lamina.lambda().invoke(b -> b.functionName("stream-slow"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.functionError()).isNull();
        assertThat(r.payload().asUtf8String()).isEqualTo("first second");
    }

    @Test
    void dryRun_answers204WithoutRunning() throws Exception {
        var response = new AtomicReference<InvokeWithResponseStreamResponse>();
        client.invokeWithResponseStream(InvokeWithResponseStreamRequest.builder().functionName("buffered")
                        .invocationType("DryRun").build(),
                InvokeWithResponseStreamResponseHandler.builder().onResponse(response::set)
                        .subscriber(e -> { }).build()).get(30, TimeUnit.SECONDS);
        assertThat(response.get().statusCode()).isEqualTo(204);
    }

    @Test
    void reservedConcurrencyZero_throttlesBeforeTheStreamStarts() {
        lamina.create("stream-throttled", Runtime.NODEJS20_X, "index.handler", Functions.node(
                "exports.handler = awslambda.streamifyResponse(async (e, s) => s.end('x'));"));
        lamina.lambda().putFunctionConcurrency(b -> b.functionName("stream-throttled").reservedConcurrentExecutions(0));

        assertThatThrownBy(() -> invoke(InvokeWithResponseStreamRequest.builder().functionName("stream-throttled").build()))
                .cause().isInstanceOfSatisfying(TooManyRequestsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.reasonAsString()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
                });
    }

    @Test
    void eventInvocationType_isRejectedByValidation() {
        assertThatThrownBy(() -> invoke(InvokeWithResponseStreamRequest.builder().functionName("buffered")
                .invocationType("Event").build()))
                .cause().isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.getMessage()).contains("Member must satisfy enum value set: [RequestResponse, DryRun]");
                });
    }

    @Test
    void unknownFunction_failsWithResourceNotFound() {
        assertThatThrownBy(() -> invoke(InvokeWithResponseStreamRequest.builder().functionName("no-such-function").build()))
                .isInstanceOf(java.util.concurrent.ExecutionException.class)
                .cause().isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Function not found");
    }
}
