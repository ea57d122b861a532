package io.lamina.it.api;

import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

import static io.lamina.it.api.ApiTestSupport.awaitSettled;
import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.fixtureRequest;
import static io.lamina.it.api.ApiTestSupport.name;
import static org.assertj.core.api.Assertions.assertThat;

/** DeadLetterConfig on CreateFunction and UpdateFunctionConfiguration, its versions, validation and persistence. */
class DeadLetterConfigTest extends ApiTest {
    private static final String QUEUE = "arn:aws:sqs:us-east-1:111111111111:dlq";
    private static final String TOPIC = "arn:aws:sns:us-east-1:111111111111:dlq-topic";

    @Test
    void targetArn_isKeptRenderedAndPublished_untilAnEmptyTargetArnRemovesIt() {
        String name = name("dlq");
        var created = create(lambda, fixtureRequest(name).deadLetterConfig(d -> d.targetArn(QUEUE)));
        assertThat(created.deadLetterConfig().targetArn()).isEqualTo(QUEUE);
        assertThat(lambda.getFunction(r -> r.functionName(name)).configuration().deadLetterConfig().targetArn())
                .isEqualTo(QUEUE);
        assertThat(lambda.listFunctions().functions().stream().filter(f -> f.functionName().equals(name))
                .map(FunctionConfiguration::deadLetterConfig).findFirst().orElseThrow().targetArn()).isEqualTo(QUEUE);

        lambda.publishVersion(r -> r.functionName(name));
        var updated = lambda.updateFunctionConfiguration(r -> r.functionName(name).deadLetterConfig(d -> d.targetArn(TOPIC)));
        assertThat(updated.deadLetterConfig().targetArn()).isEqualTo(TOPIC);
        awaitSettled(lambda, name);
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName(name).qualifier("1")).deadLetterConfig()
                .targetArn()).as("version 1 keeps the queue it was published with").isEqualTo(QUEUE);
        assertThat(lambda.publishVersion(r -> r.functionName(name)).deadLetterConfig().targetArn())
                .as("changing the DLQ is a change worth a new version").isEqualTo(TOPIC);

        // DeadLetterConfig {} leaves it as it is (AWS answered so in a recorded test); TargetArn "" removes it.
        var untouched = lambda.updateFunctionConfiguration(r -> r.functionName(name).deadLetterConfig(d -> { }));
        assertThat(untouched.deadLetterConfig().targetArn()).isEqualTo(TOPIC);
        awaitSettled(lambda, name);
        var removed = lambda.updateFunctionConfiguration(r -> r.functionName(name).deadLetterConfig(d -> d.targetArn("")));
        assertThat(removed.deadLetterConfig()).isNull();
        awaitSettled(lambda, name);
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName(name)).deadLetterConfig()).isNull();
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName(name).qualifier("2")).deadLetterConfig()
                .targetArn()).isEqualTo(TOPIC);
    }

    @Test
    void functionWithoutDeadLetterConfig_rendersNone() {
        String name = name("no-dlq");
        assertThat(create(lambda, fixtureRequest(name)).deadLetterConfig()).isNull();
        assertThat(create(lambda, fixtureRequest(name("empty-dlq")).deadLetterConfig(d -> d.targetArn("")))
                .deadLetterConfig()).isNull();
        assertThat(lambda.getFunction(r -> r.functionName(name)).configuration().deadLetterConfig()).isNull();
    }

    @Test
    void targetArn_otherThanAQueueOrTopic_isRejected() {
        String lambdaArn = ApiTestSupport.arn("some-function");
        AwsServiceException onCreate = error(() -> lambda.createFunction(fixtureRequest(name("bad-dlq"))
                .deadLetterConfig(d -> d.targetArn(lambdaArn)).build()));
        assertThat(onCreate.statusCode()).isEqualTo(400);
        assertThat(onCreate.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException");
        assertThat(onCreate.awsErrorDetails().errorMessage()).isEqualTo("The dead-letter queue " + lambdaArn
                + " is invalid: DeadLetterConfig.TargetArn must be the ARN of an Amazon SQS queue or an Amazon SNS topic.");

        String name = name("dlq-update");
        create(lambda, fixtureRequest(name));
        AwsServiceException onUpdate = error(() -> lambda.updateFunctionConfiguration(r -> r.functionName(name)
                .deadLetterConfig(d -> d.targetArn("arn:aws:s3:::bucket"))));
        assertThat(onUpdate.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException");
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName(name)).deadLetterConfig()).isNull();

        // Not an ARN at all: the model's pattern answers first.
        AwsServiceException notArn = error(() -> lambda.updateFunctionConfiguration(r -> r.functionName(name)
                .deadLetterConfig(d -> d.targetArn("my-queue"))));
        assertThat(notArn.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    }

    @Test
    void targetArn_survivesARestart() {
        String name = "dlq-persistent";
        java.nio.file.Path dataDir;
        try (LaminaFixture first = ApiTestSupport.start()) {
            dataDir = first.dataDir();
            LambdaClient l = first.lambda();
            create(l, fixtureRequest(name).deadLetterConfig(d -> d.targetArn(QUEUE)));
            l.publishVersion(r -> r.functionName(name));
        }
        try (LaminaFixture second = ApiTestSupport.startOn(dataDir)) {
            LambdaClient l = second.lambda();
            assertThat(l.getFunctionConfiguration(r -> r.functionName(name)).deadLetterConfig().targetArn()).isEqualTo(QUEUE);
            assertThat(l.getFunctionConfiguration(r -> r.functionName(name).qualifier("1")).deadLetterConfig().targetArn())
                    .isEqualTo(QUEUE);
        }
    }
}
