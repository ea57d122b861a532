package io.lamina.core.sources.kafka;

import io.lamina.core.sources.SourceException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * What a Kafka mapping reports in LastProcessingResult when the cluster refuses it: the authentication
 * and authorization errors of AWS's Kafka troubleshooting guide
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-troubleshoot.html), instead of a generic
 * connection error. The guide gives the problems' names; the "PROBLEM: " prefix and the closing period
 * follow the form of Lambda's other LastProcessingResult values, AWS's exact strings are not documented.
 */
final class KafkaProblems {
    static final String CLUSTER_FAILED_TO_AUTHORIZE = "PROBLEM: Cluster failed to authorize Lambda.";
    static final String SASL_AUTHENTICATION_FAILED = "PROBLEM: SASL authentication failed.";
    static final String TLS_AUTHENTICATION_FAILED = "PROBLEM: Lambda failed to authenticate server.";
    /** The broker refused Lambda's client certificate, or Lambda offered none to a broker that requires one. */
    static final String SERVER_FAILED_TO_AUTHENTICATE = "PROBLEM: Server failed to authenticate Lambda.";
    /** The CLIENT_CERTIFICATE_TLS_AUTH secret's certificate or key cannot be used (see {@link ClientCertificate}). */
    static final String INVALID_CERTIFICATE_OR_KEY = "PROBLEM: Provided certificate or private key is invalid.";

    private KafkaProblems() {
    }

    static SourceException of(KafkaException e) {
        String message = "Kafka poll failed: " + e.getMessage();
        return switch (e) {
            case SaslAuthenticationException sasl -> SourceException.withProblem(SASL_AUTHENTICATION_FAILED, message, e);
            case SslAuthenticationException tls -> SourceException.withProblem(
                    refusedByPeer(tls) ? SERVER_FAILED_TO_AUTHENTICATE : TLS_AUTHENTICATION_FAILED, message, e);
            case AuthorizationException denied -> SourceException.withProblem(CLUSTER_FAILED_TO_AUTHORIZE, message, e);
            default -> new SourceException(message, e);
        };
    }

    /**
     * Whether the handshake failed on the broker's side: Lambda's own check of the broker's certificate
     * fails with a certificate exception here; the broker's refusal of Lambda's certificate arrives as a
     * TLS alert (bad_certificate, unknown_ca, certificate_required...).
     */
    private static boolean refusedByPeer(SslAuthenticationException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathValidatorException
                    || t instanceof java.security.cert.CertPathBuilderException) {
                return false;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Received fatal alert")) {
                return true;
            }
        }
        return false;
    }
}
