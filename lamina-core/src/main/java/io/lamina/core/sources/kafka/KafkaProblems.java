package io.lamina.core.sources.kafka;

import io.lamina.core.sources.SourceException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * What a Kafka mapping reports in LastProcessingResult when the cluster refuses it: the authentication
 * and authorization errors of AWS's Kafka troubleshooting guide, instead of a generic connection error.
 */
final class KafkaProblems {
    static final String CLUSTER_FAILED_TO_AUTHORIZE = "PROBLEM: Cluster failed to authorize Lambda.";
    static final String SASL_AUTHENTICATION_FAILED = "PROBLEM: SASL authentication failed.";
    static final String TLS_AUTHENTICATION_FAILED = "PROBLEM: Lambda failed to authenticate server.";

    private KafkaProblems() {
    }

    static SourceException of(KafkaException e) {
        String message = "Kafka poll failed: " + e.getMessage();
        return switch (e) {
            case SaslAuthenticationException sasl -> SourceException.withProblem(SASL_AUTHENTICATION_FAILED, message, e);
            case SslAuthenticationException tls -> SourceException.withProblem(TLS_AUTHENTICATION_FAILED, message, e);
            case AuthorizationException denied -> SourceException.withProblem(CLUSTER_FAILED_TO_AUTHORIZE, message, e);
            default -> new SourceException(message, e);
        };
    }
}
