package io.lamina.it.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static io.lamina.it.invoke.Invokes.ARN_PREFIX;
import static io.lamina.it.invoke.Invokes.STREAM_PATTERN;
import static io.lamina.it.invoke.Invokes.json;
import static io.lamina.it.invoke.Invokes.requestId;
import static io.lamina.it.invoke.Invokes.tail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A handler compiled against aws-lambda-java-core, run by the official runtime interface client,
 * sees every {@code Context} field as AWS fills it.
 */
class JavaContextTest {
    static final String NAME = "ctx-java";
    static LaminaFixture lamina;

    @BeforeAll
    static void start() {
        lamina = LaminaFixture.start();
        Invokes.create(lamina, b -> b.functionName(NAME).runtime(Runtime.JAVA21).memorySize(384).timeout(5)
                .handler("io.lamina.testfunctions.ContextHandler::handleRequest")
                .environment(e -> e.variables(Map.of("TEST_KEY", "TEST_VAL")))
                .code(c -> c.zipFile(SdkBytes.fromByteArray(Functions.java()))));
        lamina.lambda().publishVersion(r -> r.functionName(NAME));
        lamina.lambda().createAlias(r -> r.functionName(NAME).name("live").functionVersion("1"));
    }

    @AfterAll
    static void stop() {
        lamina.close();
    }

    @Test
    void context_onLatest_carriesEveryFieldOfTheInvocation() throws Exception {
        String clientContext = """
                {"client":{"installation_id":"install-1","app_title":"Lamina IT","app_version_name":"1.2.3",\
                "app_version_code":"123","app_package_name":"io.lamina.it"},\
                "custom":{"foo":"bar"},"env":{"platform":"linux","locale":"en_GB"}}""";
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(NAME).logType(LogType.TAIL)
                .clientContext(Base64.getEncoder().encodeToString(clientContext.getBytes(StandardCharsets.UTF_8)))
                .payload(SdkBytes.fromUtf8String("{\"x\":1}")));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.functionError()).isNull();
        assertThat(r.executedVersion()).isEqualTo("$LATEST");
        JsonNode ctx = json(r);
        String id = requestId(r);
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(ctx.get("awsRequestId").asText()).isEqualTo(id);
        assertThat(ctx.get("functionName").asText()).isEqualTo(NAME);
        assertThat(ctx.get("functionVersion").asText()).isEqualTo("$LATEST");
        assertThat(ctx.get("invokedFunctionArn").asText()).isEqualTo(ARN_PREFIX + NAME);
        assertThat(ctx.get("memoryLimitInMB").asInt()).isEqualTo(384);
        assertThat(ctx.get("logGroupName").asText()).isEqualTo("/aws/lambda/" + NAME);
        String stream = ctx.get("logStreamName").asText();
        assertThat(stream).matches(STREAM_PATTERN.formatted("\\$LATEST"));
        assertThat(ctx.get("remainingTimeInMillis").asLong()).isGreaterThan(0).isLessThanOrEqualTo(5000);
        assertThat(ctx.get("event")).isEqualTo(json("{\"x\":1}"));
        assertThat(ctx.get("xrayTraceId").asText()).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0");

        JsonNode cc = ctx.get("clientContext");
        assertThat(cc.get("client")).isEqualTo(json("""
                {"installationId":"install-1","appTitle":"Lamina IT","appVersionName":"1.2.3",\
                "appVersionCode":"123","appPackageName":"io.lamina.it"}"""));
        assertThat(cc.get("custom")).isEqualTo(json("{\"foo\":\"bar\"}"));
        assertThat(cc.get("environment")).isEqualTo(json("{\"platform\":\"linux\",\"locale\":\"en_GB\"}"));

        // The log stream the context names is the file the runtime's output and Lamina's lines go to.
        Path file = lamina.dataDir().resolve("logs/aws/lambda/" + NAME).resolve(stream + ".log");
        assertThat(file).exists();
        assertThat(Files.readString(file)).contains("START RequestId: " + id + " Version: $LATEST\n");

        // LambdaLogger output is in the tail, between START and END of this request.
        String log = tail(r);
        assertThat(log).startsWith("START RequestId: " + id + " Version: $LATEST\n");
        assertThat(log).contains("context handler got {x=1}\n");
        assertThat(log.indexOf("context handler got")).isLessThan(log.indexOf("END RequestId: " + id + "\n"));
        assertThat(Invokes.report(log).requestId()).isEqualTo(id);
        assertThat(Invokes.report(log).memorySize()).isEqualTo(384);
    }

    @Test
    void context_whenQualifiedWithLatest_reportsTheQualifiedArn() {
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(NAME).qualifier("$LATEST"));
        JsonNode ctx = json(r);
        assertThat(r.executedVersion()).isEqualTo("$LATEST");
        assertThat(ctx.get("functionVersion").asText()).isEqualTo("$LATEST");
        assertThat(ctx.get("invokedFunctionArn").asText()).isEqualTo(ARN_PREFIX + NAME + ":$LATEST");
        assertThat(ctx.get("clientContext")).isNull();
    }

    @Test
    void context_ofPublishedVersion_reportsTheVersionAndItsLogStream() {
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(NAME).qualifier("1").logType(LogType.TAIL));
        JsonNode ctx = json(r);
        assertThat(r.executedVersion()).isEqualTo("1");
        assertThat(ctx.get("functionVersion").asText()).isEqualTo("1");
        assertThat(ctx.get("invokedFunctionArn").asText()).isEqualTo(ARN_PREFIX + NAME + ":1");
        assertThat(ctx.get("logStreamName").asText()).matches(STREAM_PATTERN.formatted("1"));
        assertThat(ctx.get("env").get("AWS_LAMBDA_FUNCTION_VERSION").asText()).isEqualTo("1");
        assertThat(tail(r)).startsWith("START RequestId: " + requestId(r) + " Version: 1\n");
    }

    @Test
    void context_throughAlias_reportsTheAliasedVersionAndTheAliasArn() {
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(NAME + ":live"));
        JsonNode ctx = json(r);
        assertThat(r.executedVersion()).isEqualTo("1");
        assertThat(ctx.get("functionVersion").asText()).isEqualTo("1");
        assertThat(ctx.get("invokedFunctionArn").asText()).isEqualTo(ARN_PREFIX + NAME + ":live");
        assertThat(ctx.get("logStreamName").asText()).matches(STREAM_PATTERN.formatted("1"));
    }
}
