package io.lamina.core.alb;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlbListenerTest {
    @Test
    void parseAll_withOnlyNamePortAndFunction_usesAwsDefaultsForLambdaTargets() {
        AlbListener l = AlbListener.parseAll("web:8081:my-fn").getFirst();
        assertThat(l.port()).isEqualTo(8081);
        assertThat(l.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(l.targetGroup().name()).isEqualTo("web");
        assertThat(l.targetGroup().function()).isEqualTo("my-fn");
        assertThat(l.targetGroup().multiValueHeaders()).isFalse();
        assertThat(l.targetGroup().healthCheck()).isEqualTo(AlbHealthCheck.lambdaDefaults());
        AlbHealthCheck hc = l.targetGroup().healthCheck();
        assertThat(hc.enabled()).isFalse();
        assertThat(hc.path()).isEqualTo("/");
        assertThat(hc.interval()).isEqualTo(Duration.ofSeconds(35));
        assertThat(hc.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(hc.healthyThreshold()).isEqualTo(5);
        assertThat(hc.unhealthyThreshold()).isEqualTo(2);
        assertThat(hc.matcher().spec()).isEqualTo("200");
    }

    @Test
    void parseAll_readsEveryOption_andSeveralListeners() {
        List<AlbListener> ls = AlbListener.parseAll("""
                web:0:arn:aws:lambda:us-east-1:000000000000:function:f:live?lambda.multi_value_headers.enabled=true\
                &idle-timeout-seconds=5&health-check-enabled=true&health-check-path=/health\
                &health-check-interval-seconds=10&health-check-timeout-seconds=4&healthy-threshold-count=3\
                &unhealthy-threshold-count=4&matcher=200-299,302 ; api:9100:g""");
        assertThat(ls).hasSize(2);
        AlbListener web = ls.getFirst();
        assertThat(web.targetGroup().function()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:f:live");
        assertThat(web.targetGroup().multiValueHeaders()).isTrue();
        assertThat(web.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        AlbHealthCheck hc = web.targetGroup().healthCheck();
        assertThat(hc).isEqualTo(new AlbHealthCheck(true, "/health", Duration.ofSeconds(10), Duration.ofSeconds(4), 3, 4,
                HttpCodeMatcher.parse("200-299,302")));
        assertThat(hc.matcher().matches(250)).isTrue();
        assertThat(hc.matcher().matches(302)).isTrue();
        assertThat(hc.matcher().matches(301)).isFalse();
        assertThat(ls.get(1).targetGroup().name()).isEqualTo("api");
        assertThat(AlbListener.parseAll(web.spec())).containsExactly(web);
    }

    @Test
    void parseAll_rejectsWhatElbRejects() {
        for (String bad : List.of("web", "web:x:f", "-web:1:f", "web-:1:f", "a".repeat(33) + ":1:f", "web:70000:f",
                "web:1:f?unknown=1", "web:1:f?health-check-interval-seconds=4",
                "web:1:f?health-check-timeout-seconds=40&health-check-interval-seconds=35",
                "web:1:f?healthy-threshold-count=11", "web:1:f?matcher=600", "web:1:f?matcher=abc",
                "web:1:f?lambda.multi_value_headers.enabled=yes", "web:1:f web:2:g")) {
            assertThatThrownBy(() -> AlbListener.parseAll(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void arn_isAwsFormWithAStableIdPerName() {
        String arn = AlbTargetGroup.of("web", "f").arn("us-east-1", "000000000000");
        assertThat(arn).matches("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/[0-9a-f]{16}");
        assertThat(AlbTargetGroup.of("web", "g").arn("us-east-1", "000000000000")).isEqualTo(arn);
        assertThat(AlbTargetGroup.of("api", "f").arn("us-east-1", "000000000000")).isNotEqualTo(arn);
    }
}
