package io.lamina.it.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static io.lamina.it.invoke.Invokes.ARN_PREFIX;
import static io.lamina.it.invoke.Invokes.golden;
import static io.lamina.it.invoke.Invokes.json;
import static io.lamina.it.invoke.Invokes.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Invocation types (RequestResponse 200, Event 202 and runs later, DryRun 204 and does not run) and every
 * way of naming what to invoke: name, {@code name:qualifier}, Qualifier, partial and full ARN, version,
 * alias, weighted alias, with {@code X-Amz-Executed-Version} saying which version ran.
 */
class InvocationTypeAndQualifierTest {
    static final String NAME = "qual";
    static final String ARN = ARN_PREFIX + NAME;
    /** Answers which version ran and how it was invoked; writes the event's {@code file} if it names one. */
    static final String SOURCE = """
            const fs = require('fs');
            exports.handler = async (e, ctx) => {
              if (e.file) fs.writeFileSync(e.file, JSON.stringify({ id: ctx.awsRequestId, event: e }));
              return { code: 'CODE', version: process.env.AWS_LAMBDA_FUNCTION_VERSION, arn: ctx.invokedFunctionArn };
            };
            """;
    static LaminaFixture lamina;
    static Path scratch;

    @BeforeAll
    static void start() throws Exception {
        lamina = LaminaFixture.start();
        scratch = Files.createTempDirectory("lamina-invoke");
        var lambda = lamina.lambda();
        Invokes.create(lamina, NAME, Runtime.NODEJS20_X, "index.handler",
                Functions.node(SOURCE.replace("CODE", "one")));
        lambda.publishVersion(r -> r.functionName(NAME));
        lambda.updateFunctionCode(r -> r.functionName(NAME)
                .zipFile(SdkBytes.fromByteArray(Functions.node(SOURCE.replace("CODE", "two")))));
        Invokes.awaitReady(lamina, NAME);
        lambda.publishVersion(r -> r.functionName(NAME));
        lambda.updateFunctionCode(r -> r.functionName(NAME)
                .zipFile(SdkBytes.fromByteArray(Functions.node(SOURCE.replace("CODE", "latest")))));
        Invokes.awaitReady(lamina, NAME);
        lambda.createAlias(r -> r.functionName(NAME).name("live").functionVersion("1"));
        lambda.createAlias(r -> r.functionName(NAME).name("weighted").functionVersion("1")
                .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.5))));
    }

    @AfterAll
    static void stop() throws Exception {
        lamina.close();
        try (var files = Files.walk(scratch)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static InvokeResponse invoke(Consumer<InvokeRequest.Builder> req) {
        InvokeResponse r = lamina.lambda().invoke(req);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.functionError()).as(r.payload().asUtf8String()).isNull();
        return r;
    }

    /** Invokes {@code functionName} (with {@code qualifier} if not null) and checks what ran. */
    private static void assertRuns(String functionName, String qualifier, String version, String code, String invokedArn) {
        InvokeResponse r = invoke(b -> b.functionName(functionName).qualifier(qualifier));
        assertThat(r.executedVersion()).as("executed version of %s / %s", functionName, qualifier).isEqualTo(version);
        JsonNode body = json(r);
        assertThat(body.get("version").asText()).isEqualTo(version);
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("arn").asText()).isEqualTo(invokedArn);
    }

    @Test
    void invoke_byName_runsLatest() {
        assertRuns(NAME, null, "$LATEST", "latest", ARN);
        assertRuns(NAME, "$LATEST", "$LATEST", "latest", ARN + ":$LATEST");
        assertRuns(NAME + ":$LATEST", null, "$LATEST", "latest", ARN + ":$LATEST");
    }

    @Test
    void invoke_byVersion_runsThatVersion() {
        assertRuns(NAME, "1", "1", "one", ARN + ":1");
        assertRuns(NAME + ":2", null, "2", "two", ARN + ":2");
        assertRuns(ARN, "2", "2", "two", ARN + ":2");
        assertRuns(ARN + ":1", null, "1", "one", ARN + ":1");
    }

    @Test
    void invoke_byAlias_runsTheAliasedVersion() {
        assertRuns(NAME, "live", "1", "one", ARN + ":live");
        assertRuns(NAME + ":live", null, "1", "one", ARN + ":live");
        assertRuns(ARN + ":live", null, "1", "one", ARN + ":live");
    }

    @Test
    void invoke_byPartialArn_resolvesInTheDefaultAccount() {
        assertRuns("000000000000:function:" + NAME, null, "$LATEST", "latest", ARN);
        assertRuns("000000000000:function:" + NAME + ":live", null, "1", "one", ARN + ":live");
        assertRuns("000000000000:function:" + NAME, "2", "2", "two", ARN + ":2");
    }

    @Test
    void invoke_throughWeightedAlias_reportsTheVersionThatRan() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            InvokeResponse r = invoke(b -> b.functionName(NAME).qualifier("weighted"));
            JsonNode body = json(r);
            assertThat(r.executedVersion()).isIn("1", "2").isEqualTo(body.get("version").asText());
            assertThat(body.get("code").asText()).isEqualTo(r.executedVersion().equals("1") ? "one" : "two");
            assertThat(body.get("arn").asText()).isEqualTo(ARN + ":weighted");
            seen.add(r.executedVersion());
        }
        // 40 draws at 50 %: both versions show up unless something is wrong (p = 2^-39).
        assertThat(seen).containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void invoke_ofUnknownFunctionOrQualifier_isResourceNotFound() {
        JsonNode recorded = golden("test_lambda.snapshot.json", "TestLambdaFeatures::test_invoke_exceptions")
                .get("invoke_function_doesnotexist");
        // AWS (recorded November 2025) names the function qualified with $LATEST.
        assertThatThrownBy(() -> lamina.lambda().invoke(b -> b.functionName("doesnotexist")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(recorded.get("Message").asText()
                            .replace("arn:<partition>:lambda:<region>:111111111111", "arn:aws:lambda:us-east-1:000000000000"));
                });
        assertThatThrownBy(() -> lamina.lambda().invoke(b -> b.functionName(NAME).qualifier("nope")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Function not found: " + ARN + ":nope"));
    }

    @Test
    void invokeDryRun_answers204AndDoesNotRun() throws Exception {
        Path file = scratch.resolve("dry-run.json");
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(NAME).invocationType(InvocationType.DRY_RUN)
                .payload(SdkBytes.fromUtf8String("{\"file\":\"" + file + "\"}")));
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.payload().asByteArray()).isEmpty();
        assertThat(r.functionError()).isNull();
        Thread.sleep(200);
        assertThat(file).doesNotExist();
    }

    @Test
    void invokeEvent_answers202AndRunsTheFunctionLater() throws Exception {
        Path file = scratch.resolve("event.json");
        InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(NAME).qualifier("live")
                .invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{\"file\":\"" + file + "\"}")));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.payload().asByteArray()).isEmpty();
        assertThat(r.functionError()).isNull();
        assertThat(r.logResult()).isNull();
        assertThat(Invokes.eventually(10_000, () -> Files.exists(file) && file.toFile().length() > 0)).isTrue();
        JsonNode written = Invokes.json(Files.readAllBytes(file));
        // The function sees the request id Invoke answered with, and the event unchanged.
        assertThat(written.get("id").asText()).isEqualTo(requestId(r));
        assertThat(written.get("event")).isEqualTo(json("{\"file\":\"" + file + "\"}"));
    }

    @Test
    void invokeEventAndDryRun_sendNoExecutedVersion() {
        // AWS's recorded Event and DryRun responses carry no X-Amz-Executed-Version.
        assertThat(golden("test_lambda.snapshot.json", "TestLambdaFeatures::test_invocation_type_event[python3.10]")
                .get("invoke-result").has("ExecutedVersion")).isFalse();
        assertThat(golden("test_lambda.snapshot.json", "TestLambdaFeatures::test_invocation_type_dry_run[python3.10]")
                .get("invoke-result").has("ExecutedVersion")).isFalse();
        for (InvocationType type : new InvocationType[] {InvocationType.EVENT, InvocationType.DRY_RUN}) {
            InvokeResponse r = lamina.lambda().invoke(b -> b.functionName(NAME).invocationType(type));
            assertThat(r.executedVersion()).as("X-Amz-Executed-Version of %s", type).isNull();
        }
    }
}
