package io.lamina.it.sources;

import io.lamina.core.sources.SourceResources;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.SourceAccessConfiguration;
import software.amazon.awssdk.services.lambda.model.SourceAccessType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.lamina.it.sources.Rabbit.await;
import static io.lamina.it.sources.Rabbit.bodies;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Amazon MQ mappings that meet an error retrying cannot mend stop, as AWS documents
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-mq-errors.html): Disabled, with the reason in
 * StateTransitionReason, messages left on the broker, until the user enables the mapping again. Against
 * the machine's RabbitMQ, with a user and a virtual host of the test's own made by rabbitmqctl.
 */
class RabbitErrorsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String WRONG_SECRET = "arn:aws:secretsmanager:us-east-1:000000000000:secret:lamina-it-rmq-wrong";
    private static final String LIMITED_SECRET = "arn:aws:secretsmanager:us-east-1:000000000000:secret:lamina-it-rmq-limited";
    private static final String USER = "lamina-it-" + SUFFIX;
    private static final String VHOST = "lamina-it-" + SUFFIX;
    private static LaminaFixture lamina;
    private static LambdaClient lambda;
    private static Rabbit rabbit;

    @TempDir
    Path records;

    /** guest/guest under Rabbit.SECRET_ARN, a wrong password, and a user with no permission on VHOST. */
    private static SourceResources resources(String wrongSecretPassword) {
        return new SourceResources(Map.of(Rabbit.BROKER_ARN, Rabbit.URI), Map.of(
                Rabbit.SECRET_ARN, Map.of("username", "guest", "password", "guest"),
                WRONG_SECRET, Map.of("username", "guest", "password", wrongSecretPassword),
                LIMITED_SECRET, Map.of("username", USER, "password", "pw-" + SUFFIX)));
    }

    @BeforeAll
    static void start() throws Exception {
        rabbit = new Rabbit();
        Rabbit.ctl("add_user", USER, "pw-" + SUFFIX);
        Rabbit.ctl("add_vhost", VHOST);
        lamina = LaminaFixture.start(c -> c.withSources(resources("not-the-password")));
        lambda = lamina.lambda();
    }

    @AfterAll
    static void stop() throws Exception {
        if (lamina != null) {
            lamina.close();
        }
        if (rabbit != null) {
            rabbit.close();
        }
        Rabbit.ctl("delete_user", USER);
        Rabbit.ctl("delete_vhost", VHOST);
    }

    private String function(LaminaFixture on) {
        String name = "rmq-errors-" + UUID.randomUUID().toString().substring(0, 8);
        on.create(r -> r.functionName(name).runtime(Runtime.NODEJS20_X).handler("index.handler").timeout(30)
                .code(c -> c.zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(Rabbit.nodeRecorder())))
                .environment(e -> e.variables(Map.of("RECORD_DIR", records.toString()))));
        return name;
    }

    private static String map(LambdaClient client, String function, String queue, SourceAccessConfiguration... access) {
        return client.createEventSourceMapping(r -> r.functionName(function).eventSourceArn(Rabbit.BROKER_ARN)
                .queues(queue).batchSize(10).maximumBatchingWindowInSeconds(0).sourceAccessConfigurations(access)).uuid();
    }

    private static SourceAccessConfiguration basicAuth(String secret) {
        return SourceAccessConfiguration.builder().type(SourceAccessType.BASIC_AUTH).uri(secret).build();
    }

    private static SourceAccessConfiguration virtualHost(String vhost) {
        return SourceAccessConfiguration.builder().type(SourceAccessType.VIRTUAL_HOST).uri(vhost).build();
    }

    private static GetEventSourceMappingResponse awaitState(LambdaClient client, String uuid, String state) {
        await("mapping " + uuid + " " + state, WAIT,
                () -> state.equals(client.getEventSourceMapping(r -> r.uuid(uuid)).state()));
        return client.getEventSourceMapping(r -> r.uuid(uuid));
    }

    private static void delete(LambdaClient client, String uuid) {
        client.deleteEventSourceMapping(r -> r.uuid(uuid));
        await("mapping " + uuid + " gone", WAIT, () -> {
            try {
                client.getEventSourceMapping(r -> r.uuid(uuid));
                return false;
            } catch (ResourceNotFoundException e) {
                return true;
            }
        });
    }

    @Test
    void wrongPassword_stopsTheMappingWithEventSourceAuthnError_keepsTheMessages_andEnablingWithGoodCredentialsDeliversThem() {
        String queue = rabbit.queue("rmq-authn");
        rabbit.publishAll(queue, List.of("a1", "a2", "a3"));
        String fn = function(lamina);
        String uuid = map(lambda, fn, queue, basicAuth(WRONG_SECRET));

        var stopped = awaitState(lambda, uuid, "Disabled");
        assertThat(stopped.stateTransitionReason()).isEqualTo("EVENT_SOURCE_AUTHN_ERROR");
        assertThat(stopped.lastProcessingResult()).startsWith("PROBLEM: ");
        assertThat(stopped.toString()).doesNotContain("not-the-password");
        Rabbit.sleep(1500);
        assertThat(lambda.getEventSourceMapping(r -> r.uuid(uuid)).state()).as("stopped for good").isEqualTo("Disabled");
        assertThat(rabbit.ready(queue)).as("no message lost or taken").isEqualTo(3);
        assertThat(bodies(records)).isEmpty();

        // The user points the mapping at the right secret and enables it.
        var update = lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(true)
                .sourceAccessConfigurations(basicAuth(Rabbit.SECRET_ARN)));
        assertThat(update.stateTransitionReason()).isEqualTo("USER_INITIATED");
        var running = awaitState(lambda, uuid, "Enabled");
        assertThat(running.stateTransitionReason()).isEqualTo("USER_INITIATED");
        await("the kept messages delivered", WAIT, () -> bodies(records).size() >= 3);
        assertThat(bodies(records)).containsExactly("a1", "a2", "a3");
        // Amazon MQ mappings show LastProcessingResult in the API (documented for every mapping).
        await("LastProcessingResult OK", WAIT,
                () -> "OK".equals(lambda.getEventSourceMapping(r -> r.uuid(uuid)).lastProcessingResult()));
        assertThat(lambda.listEventSourceMappings(r -> r.functionName(fn)).eventSourceMappings())
                .singleElement().satisfies(m -> assertThat(m.lastProcessingResult()).isEqualTo("OK"));
        delete(lambda, uuid);
        Rabbit.sleep(200);
        assertThat(rabbit.ready(queue)).isZero();
    }

    @Test
    void passwordChangedWhileTheMappingRuns_stopsItWithEventSourceAuthnError_onceTheConnectionIsLost() throws Exception {
        String user = "lamina-it-moved-" + SUFFIX;
        String secret = "arn:aws:secretsmanager:us-east-1:000000000000:secret:lamina-it-rmq-moved";
        String queue = rabbit.queue("rmq-moved");
        Rabbit.ctl("add_user", user, "before-" + SUFFIX);
        var own = LaminaFixture.start(c -> c.withSources(new SourceResources(Map.of(Rabbit.BROKER_ARN, Rabbit.URI),
                Map.of(secret, Map.of("username", user, "password", "before-" + SUFFIX)))));
        try {
            Rabbit.ctl("set_permissions", "-p", "/", user, "^" + queue + "$", "^" + queue + "$", "^" + queue + "$");
            String uuid = map(own.lambda(), function(own), queue, basicAuth(secret));
            awaitState(own.lambda(), uuid, "Enabled");
            rabbit.publish(queue, "m1");
            await("m1 delivered", WAIT, () -> bodies(records).contains("m1"));

            Rabbit.ctl("change_password", user, "after-" + SUFFIX);
            Rabbit.ctl("close_all_user_connections", user, "password changed");
            var stopped = awaitState(own.lambda(), uuid, "Disabled");
            assertThat(stopped.stateTransitionReason()).isEqualTo("EVENT_SOURCE_AUTHN_ERROR");
            rabbit.publish(queue, "m2");
            Rabbit.sleep(1000);
            assertThat(rabbit.ready(queue)).as("m2 waits on the broker").isEqualTo(1);
            assertThat(bodies(records)).containsExactly("m1");
            delete(own.lambda(), uuid);
        } finally {
            own.close();
            Rabbit.ctl("delete_user", user);
        }
    }

    @Test
    void userWithoutPermissionOnTheVirtualHost_stopsTheMappingWithEventSourceAuthzError() {
        String fn = function(lamina);
        String uuid = map(lambda, fn, "jobs", basicAuth(LIMITED_SECRET), virtualHost(VHOST));

        var stopped = awaitState(lambda, uuid, "Disabled");
        assertThat(stopped.stateTransitionReason()).isEqualTo("EVENT_SOURCE_AUTHZ_ERROR");
        assertThat(stopped.lastProcessingResult()).startsWith("PROBLEM: ");
        delete(lambda, uuid);
    }

    @Test
    void secretLaminaCannotResolve_stopsTheMappingWithEsmConfigNotValid() {
        String fn = function(lamina);
        String queue = rabbit.queue("rmq-config");
        String uuid = map(lambda, fn, queue,
                basicAuth("arn:aws:secretsmanager:us-east-1:000000000000:secret:lamina-it-rmq-nowhere"));

        assertThat(awaitState(lambda, uuid, "Disabled").stateTransitionReason()).isEqualTo("ESM_CONFIG_NOT_VALID");
        delete(lambda, uuid);
    }

    @Test
    void missingQueue_isRetried_andTheMappingStaysEnabled() {
        String fn = function(lamina);
        String queue = "rmq-missing-" + UUID.randomUUID();
        String uuid = map(lambda, fn, queue, basicAuth(Rabbit.SECRET_ARN));
        awaitState(lambda, uuid, "Enabled");
        await("the missing queue reported", WAIT,
                () -> lambda.getEventSourceMapping(r -> r.uuid(uuid)).lastProcessingResult().startsWith("PROBLEM: "));
        Rabbit.sleep(1000);
        var m = lambda.getEventSourceMapping(r -> r.uuid(uuid));
        assertThat(m.state()).isEqualTo("Enabled");
        assertThat(m.stateTransitionReason()).isEqualTo("USER_INITIATED");
        delete(lambda, uuid);
    }

    @Test
    void mappingStoppedOnError_staysDisabledAfterARestart_evenWithTheSecretFixed_untilTheUserEnablesIt(@TempDir Path data) {
        String queue = rabbit.queue("rmq-authn-restart");
        var first = LaminaFixture.startOn(data, c -> c.withSources(resources("not-the-password")));
        LaminaFixture second = null;
        try {
            String fn = function(first);
            String uuid = map(first.lambda(), fn, queue, basicAuth(WRONG_SECRET));
            assertThat(awaitState(first.lambda(), uuid, "Disabled").stateTransitionReason())
                    .isEqualTo("EVENT_SOURCE_AUTHN_ERROR");
            first.close();
            first = null;

            rabbit.publish(queue, "r1");
            // The resources file now holds the right password under the same secret.
            second = LaminaFixture.startOn(data, c -> c.withSources(resources("guest")));
            LambdaClient client = second.lambda();
            Rabbit.sleep(1500);
            var after = client.getEventSourceMapping(r -> r.uuid(uuid));
            assertThat(after.state()).isEqualTo("Disabled");
            assertThat(after.stateTransitionReason()).isEqualTo("EVENT_SOURCE_AUTHN_ERROR");
            assertThat(rabbit.ready(queue)).as("a stopped mapping does not poll").isEqualTo(1);

            client.updateEventSourceMapping(r -> r.uuid(uuid).enabled(true));
            assertThat(awaitState(client, uuid, "Enabled").stateTransitionReason()).isEqualTo("USER_INITIATED");
            await("the message delivered", WAIT, () -> bodies(records).contains("r1"));
            delete(client, uuid);
        } finally {
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        }
    }
}
