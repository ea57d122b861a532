package io.lamina.core.sources.mq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import io.lamina.core.mappings.StopReason;
import io.lamina.core.sources.SourceException;

import java.util.Optional;

/**
 * Which RabbitMQ failures stop a mapping and which are retried. AWS stops an Amazon MQ consumer on an
 * unrecoverable error and names it in StateTransitionReason
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-mq-errors.html); it does not say which broker
 * replies count, so this is Lamina's reading:
 * <ul>
 * <li>login refused (wrong username or password): EVENT_SOURCE_AUTHN_ERROR;</li>
 * <li>the user may not open the virtual host, or may not read the queue (ACCESS_REFUSED):
 *     EVENT_SOURCE_AUTHZ_ERROR;</li>
 * <li>anything else is retried with back-off, the missing queue (404 NOT_FOUND) and virtual host included:
 *     a non-durable queue is gone after a broker restart until its application declares it again, and a
 *     queue may be created after the mapping. Stopping would leave the mapping off once it could work,
 *     while waiting loses nothing (no message can sit in a queue that does not exist), so the mapping
 *     keeps trying and shows the problem in LastProcessingResult.</li>
 * </ul>
 * AWS documents no LastProcessingResult wording for Amazon MQ; the problems below are phrased after its
 * descriptions of the codes.
 */
final class RabbitFailures {
    static final String AUTHN_PROBLEM = "PROBLEM: Lambda failed to authenticate the event source.";
    static final String AUTHZ_PROBLEM = "PROBLEM: Lambda does not have the required permissions to access the event source.";
    static final String CONFIG_PROBLEM = "PROBLEM: The event source mapping configuration is not valid.";

    private RabbitFailures() {
    }

    /** {@code e} as the SourceException the poller acts on; {@code message} never holds a credential. */
    static SourceException of(String message, Throwable e) {
        return stopReason(e).map(r -> SourceException.unrecoverable(r, problem(r), message, e))
                .orElseGet(() -> new SourceException(message, e));
    }

    /** A mapping that cannot work as configured (a secret Lamina cannot resolve): ESM_CONFIG_NOT_VALID. */
    static SourceException configNotValid(String message) {
        return SourceException.unrecoverable(StopReason.ESM_CONFIG_NOT_VALID, CONFIG_PROBLEM, message, null);
    }

    static Optional<StopReason> stopReason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // The broker said ACCESS_REFUSED at login. Its bare superclass (the socket closed during the
            // handshake with no reason given) is what a broker going down also looks like: retried.
            if (t instanceof AuthenticationFailureException) {
                return Optional.of(StopReason.EVENT_SOURCE_AUTHN_ERROR);
            }
            if (t instanceof PossibleAuthenticationFailureException) {
                return Optional.empty();
            }
            if (t instanceof ShutdownSignalException sse) {
                int code;
                String text;
                if (sse.getReason() instanceof AMQP.Connection.Close c) {
                    code = c.getReplyCode();
                    text = c.getReplyText();
                } else if (sse.getReason() instanceof AMQP.Channel.Close c) {
                    code = c.getReplyCode();
                    text = c.getReplyText();
                } else {
                    return Optional.empty();
                }
                // connection.open: "NOT_ALLOWED - access to vhost 'v' refused for user 'u'" (530); a virtual
                // host that does not exist is NOT_ALLOWED too, but "vhost v not found": retried.
                if (code == AMQP.NOT_ALLOWED && text != null && text.contains("refused")) {
                    return Optional.of(StopReason.EVENT_SOURCE_AUTHZ_ERROR);
                }
                // basic.consume: "ACCESS_REFUSED - access to queue 'q' in vhost 'v' refused for user 'u'" (403).
                if (code == AMQP.ACCESS_REFUSED) {
                    return Optional.of(StopReason.EVENT_SOURCE_AUTHZ_ERROR);
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String problem(StopReason r) {
        return switch (r) {
            case EVENT_SOURCE_AUTHN_ERROR -> AUTHN_PROBLEM;
            case EVENT_SOURCE_AUTHZ_ERROR -> AUTHZ_PROBLEM;
            default -> CONFIG_PROBLEM;
        };
    }
}
