package io.lamina.core.sources.mq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.lamina.core.mappings.EventSourceMapping;
import io.lamina.core.mappings.MappingState;
import io.lamina.core.mappings.SourceKind;
import io.lamina.core.mappings.StopReason;
import io.lamina.core.sources.SourceException;
import io.lamina.core.sources.SourceFactory;
import io.lamina.core.sources.SourceResources;
import io.lamina.core.testing.RabbitCtl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Which refusals of the machine's RabbitMQ stop a mapping: a user and a virtual host of the test's own
 * (made with rabbitmqctl), the user allowed to read one queue only.
 */
class RabbitFailuresTest {
    private static final String BROKER = "arn:aws:mq:us-east-1:000000000000:broker:test:b-1";
    private static final String GUEST = "arn:aws:secretsmanager:us-east-1:000000000000:secret:guest";
    private static final String WRONG = "arn:aws:secretsmanager:us-east-1:000000000000:secret:wrong";
    private static final String LIMITED = "arn:aws:secretsmanager:us-east-1:000000000000:secret:limited";
    private static final String NO_PASSWORD = "arn:aws:secretsmanager:us-east-1:000000000000:secret:nopassword";
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String USER = "lamina-failures-" + SUFFIX;
    private static final String VHOST = "lamina-failures-" + SUFFIX;
    private static final String ALLOWED = "allowed-" + SUFFIX;
    private static final String FORBIDDEN = "forbidden-" + SUFFIX;
    private static final SourceFactory.Context CONTEXT = new SourceFactory.Context("us-east-1", Map.of(),
            new SourceResources(Map.of(BROKER, "amqp://127.0.0.1:5672"), Map.of(
                    GUEST, Map.of("username", "guest", "password", "guest"),
                    WRONG, Map.of("username", "guest", "password", "wrong-" + SUFFIX),
                    LIMITED, Map.of("username", USER, "password", "pw-" + SUFFIX),
                    NO_PASSWORD, Map.of("username", "guest"))), Clock.systemUTC());

    @BeforeAll
    static void setUp() throws Exception {
        RabbitCtl.run("add_user", USER, "pw-" + SUFFIX);
        RabbitCtl.run("add_vhost", VHOST);
        RabbitCtl.run("set_permissions", "-p", "/", USER, "^" + ALLOWED + "$", "^" + ALLOWED + "$", "^" + ALLOWED + "$");
        var cf = new ConnectionFactory();
        cf.setUri("amqp://guest:guest@127.0.0.1:5672");
        try (Connection c = cf.newConnection(); Channel ch = c.createChannel()) {
            ch.queueDeclare(ALLOWED, false, false, false, null);
            ch.queueDeclare(FORBIDDEN, false, false, false, null);
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        var cf = new ConnectionFactory();
        cf.setUri("amqp://guest:guest@127.0.0.1:5672");
        try (Connection c = cf.newConnection(); Channel ch = c.createChannel()) {
            ch.queueDelete(ALLOWED);
            ch.queueDelete(FORBIDDEN);
        }
        RabbitCtl.run("delete_user", USER);
        RabbitCtl.run("delete_vhost", VHOST);
    }

    private static SourceException openFails(String queue, String secret, String vhost) {
        var m = new EventSourceMapping(UUID.randomUUID().toString(), "arn:aws:lambda:us-east-1:000000000000:function:f",
                SourceKind.MQ, Optional.of(BROKER), List.of(), 10, Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), List.of(), List.of(queue),
                List.of(new EventSourceMapping.SourceAccess("BASIC_AUTH", secret),
                        new EventSourceMapping.SourceAccess("VIRTUAL_HOST", vhost)),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), true, 0, MappingState.Enabled, "USER_INITIATED",
                "No records processed", "arn:aws:lambda:us-east-1:000000000000:event-source-mapping:x", Map.of());
        SourceException e = catchThrowableOfType(SourceException.class,
                () -> new RabbitSourceFactory().open(m, CONTEXT).close());
        assertThat(e).as("opening " + queue + " fails").isNotNull();
        return e;
    }

    @Test
    void wrongPassword_stopsWithEventSourceAuthnError_andNamesNoCredential() {
        SourceException e = openFails(ALLOWED, WRONG, "/");
        assertThat(e.stopReason()).contains(StopReason.EVENT_SOURCE_AUTHN_ERROR);
        assertThat(e.problem()).contains(RabbitFailures.AUTHN_PROBLEM);
        assertThat(e.getMessage()).doesNotContain("wrong-" + SUFFIX);
    }

    @Test
    void userWithoutPermissionOnTheVirtualHost_stopsWithEventSourceAuthzError() {
        SourceException e = openFails(ALLOWED, LIMITED, VHOST);
        assertThat(e.stopReason()).contains(StopReason.EVENT_SOURCE_AUTHZ_ERROR);
        assertThat(e.getMessage()).contains("refused");
    }

    @Test
    void userNotAllowedToReadTheQueue_stopsWithEventSourceAuthzError() {
        SourceException e = openFails(FORBIDDEN, LIMITED, "/");
        assertThat(e.stopReason()).contains(StopReason.EVENT_SOURCE_AUTHZ_ERROR);
        assertThat(e.problem()).contains(RabbitFailures.AUTHZ_PROBLEM);
    }

    @Test
    void missingQueueOrVirtualHost_isRetried_notStopped() {
        SourceException queue = openFails("missing-" + SUFFIX, GUEST, "/");
        assertThat(queue.getMessage()).contains("NOT_FOUND");
        assertThat(queue.stopReason()).isEmpty();
        SourceException vhost = openFails(ALLOWED, GUEST, "missing-" + SUFFIX);
        assertThat(vhost.getMessage()).contains("not found");
        assertThat(vhost.stopReason()).isEmpty();
    }

    @Test
    void secretLaminaCannotResolve_stopsWithEsmConfigNotValid() {
        SourceException missing = openFails(ALLOWED, "arn:aws:secretsmanager:us-east-1:000000000000:secret:nope", "/");
        assertThat(missing.stopReason()).contains(StopReason.ESM_CONFIG_NOT_VALID);
        assertThat(missing.problem()).contains(RabbitFailures.CONFIG_PROBLEM);
        assertThat(openFails(ALLOWED, NO_PASSWORD, "/").stopReason()).contains(StopReason.ESM_CONFIG_NOT_VALID);
    }

    @Test
    void brokerUnreachable_isRetried_notStopped() {
        var ctx = new SourceFactory.Context("us-east-1", Map.of(), new SourceResources(
                Map.of(BROKER, "amqp://127.0.0.1:1"), Map.of(GUEST, Map.of("username", "guest", "password", "guest"))),
                Clock.systemUTC());
        var m = new EventSourceMapping("u", "f", SourceKind.MQ, Optional.of(BROKER), List.of(), 10, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty(), List.of(), List.of(ALLOWED),
                List.of(new EventSourceMapping.SourceAccess("BASIC_AUTH", GUEST)), Optional.empty(), Optional.empty(),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true,
                0, MappingState.Enabled, "", "", "arn", Map.of());
        SourceException e = catchThrowableOfType(SourceException.class, () -> new RabbitSourceFactory().open(m, ctx));
        assertThat(e).isNotNull();
        assertThat(e.stopReason()).isEmpty();
    }

    @Test
    void passwordChangedWhileConsuming_stopsWithEventSourceAuthnError_onceTheLostConnectionCannotLogInAgain()
            throws Exception {
        String user = "lamina-failures-moved-" + SUFFIX;
        String secret = "arn:aws:secretsmanager:us-east-1:000000000000:secret:moved";
        RabbitCtl.run("add_user", user, "before-" + SUFFIX);
        try {
            RabbitCtl.run("set_permissions", "-p", "/", user, "^" + ALLOWED + "$", "^" + ALLOWED + "$", "^" + ALLOWED + "$");
            var ctx = new SourceFactory.Context("us-east-1", Map.of(), new SourceResources(
                    Map.of(BROKER, "amqp://127.0.0.1:5672"),
                    Map.of(secret, Map.of("username", user, "password", "before-" + SUFFIX))), Clock.systemUTC());
            var m = new EventSourceMapping("u", "f", SourceKind.MQ, Optional.of(BROKER), List.of(), 10, Optional.empty(),
                    Optional.empty(), Optional.empty(), List.of(), Optional.empty(), List.of(), List.of(ALLOWED),
                    List.of(new EventSourceMapping.SourceAccess("BASIC_AUTH", secret)), Optional.empty(),
                    Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), true, 0, MappingState.Enabled, "", "", "arn", Map.of());
            var source = new RabbitSourceFactory().open(m, ctx);
            try {
                assertThat(source.poll(10, java.time.Duration.ofMillis(100))).isEmpty();
                RabbitCtl.run("change_password", user, "after-" + SUFFIX);
                RabbitCtl.run("close_all_user_connections", user, "password changed");
                SourceException reported = null;
                long end = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
                while (System.nanoTime() < end && (reported == null || reported.stopReason().isEmpty())) {
                    try {
                        // A long wait: the failed recovery itself wakes the poll.
                        source.poll(10, java.time.Duration.ofSeconds(20));
                    } catch (SourceException e) {
                        reported = e;
                    }
                }
                assertThat(reported).isNotNull();
                assertThat(reported.stopReason()).contains(StopReason.EVENT_SOURCE_AUTHN_ERROR);
            } finally {
                source.close();
            }
        } finally {
            RabbitCtl.run("delete_user", user);
        }
    }

}
