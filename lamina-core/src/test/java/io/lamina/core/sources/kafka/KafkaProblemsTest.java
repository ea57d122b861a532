package io.lamina.core.sources.kafka;

import io.lamina.core.sources.Poller;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaProblemsTest {
    @Test
    void refusalsByTheCluster_areReportedAsAwsNamesThem() {
        assertThat(KafkaProblems.of(new SaslAuthenticationException("bad password")).problem())
                .contains("PROBLEM: SASL authentication failed.");
        assertThat(KafkaProblems.of(new SslAuthenticationException("PKIX path building failed")).problem())
                .contains("PROBLEM: Lambda failed to authenticate server.");
        assertThat(KafkaProblems.of(new TopicAuthorizationException(Set.of("orders"))).problem())
                .contains("PROBLEM: Cluster failed to authorize Lambda.");
        assertThat(KafkaProblems.of(new GroupAuthorizationException("group")).problem())
                .contains("PROBLEM: Cluster failed to authorize Lambda.");
    }

    @Test
    void aTlsFailure_isTheServerRefusingLambda_whenTheBrokerSentAnAlert_andLambdaRefusingTheServer_whenACertificateCheckFailed() {
        var refused = new SslAuthenticationException("Failed to process post-handshake messages",
                new javax.net.ssl.SSLHandshakeException("Received fatal alert: certificate_unknown"));
        assertThat(KafkaProblems.of(refused).problem()).contains("PROBLEM: Server failed to authenticate Lambda.");
        var untrusted = new javax.net.ssl.SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new java.security.cert.CertificateException("unable to find valid certification path"));
        assertThat(KafkaProblems.of(new SslAuthenticationException("SSL handshake failed", untrusted)).problem())
                .contains("PROBLEM: Lambda failed to authenticate server.");
        var hostname = new javax.net.ssl.SSLHandshakeException("No subject alternative names matching IP address");
        hostname.initCause(new java.security.cert.CertificateException("No subject alternative names"));
        assertThat(KafkaProblems.of(new SslAuthenticationException("SSL handshake failed", hostname)).problem())
                .contains("PROBLEM: Lambda failed to authenticate server.");
    }

    @Test
    void otherFailures_leaveTheGenericConnectionError() {
        var e = KafkaProblems.of(new KafkaException("broker went away"));
        assertThat(e.problem()).isEqualTo(Optional.empty());
        assertThat(e.getMessage()).contains("broker went away");
        assertThat(Poller.CONNECTION_ERROR).startsWith("PROBLEM: Connection error");
    }
}
