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
    void otherFailures_leaveTheGenericConnectionError() {
        var e = KafkaProblems.of(new KafkaException("broker went away"));
        assertThat(e.problem()).isEqualTo(Optional.empty());
        assertThat(e.getMessage()).contains("broker went away");
        assertThat(Poller.CONNECTION_ERROR).startsWith("PROBLEM: Connection error");
    }
}
