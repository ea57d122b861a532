package io.lamina.server.cli;

import io.lamina.core.alb.AlbListener;
import io.lamina.server.Settings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServeAlbOptionsTest {
    @Test
    void serve_albListenersFlag_configuresListenersAndTargetGroups() {
        var serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--port", "0", "--alb-listeners",
                "web:8081:my-fn?lambda.multi_value_headers.enabled=true&health-check-enabled=true"
                        + "&health-check-path=/health&matcher=200-299 api:8082:other:live");
        var config = serve.options.resolve().config();
        assertThat(config.albListeners()).hasSize(2);
        AlbListener web = config.albListeners().getFirst();
        assertThat(web.port()).isEqualTo(8081);
        assertThat(web.targetGroup().function()).isEqualTo("my-fn");
        assertThat(web.targetGroup().multiValueHeaders()).isTrue();
        assertThat(web.targetGroup().healthCheck().enabled()).isTrue();
        assertThat(web.targetGroup().healthCheck().path()).isEqualTo("/health");
        assertThat(web.targetGroup().healthCheck().matcher().matches(204)).isTrue();
        assertThat(web.targetGroup().healthCheck().interval()).isEqualTo(Duration.ofSeconds(35));
        AlbListener api = config.albListeners().get(1);
        assertThat(api.targetGroup().function()).isEqualTo("other:live");
        assertThat(api.targetGroup().multiValueHeaders()).isFalse();
    }

    @Test
    void settings_albListeners_comeFromEnvironmentToo_andAreListedByLaminaConfig() {
        var settings = Settings.resolve(Optional.empty(), Map.of("LAMINA_ALB_LISTENERS", "web:0:f"), Map.of());
        assertThat(settings.config().albListeners()).singleElement()
                .satisfies(l -> assertThat(l.targetGroup().name()).isEqualTo("web"));
        assertThat(settings.values()).filteredOn(v -> v.key().equals("alb-listeners")).singleElement()
                .satisfies(v -> {
                    assertThat(v.value()).isEqualTo("web:0:f");
                    assertThat(v.source()).isEqualTo("env LAMINA_ALB_LISTENERS");
                });
        assertThat(Settings.resolve(Optional.empty(), Map.of(), Map.of()).config().albListeners()).isEmpty();
    }

    @Test
    void serve_badAlbListener_isRejectedWithTheReason() {
        var serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--alb-listeners", "web:8081:f?health-check-interval-seconds=1");
        assertThatThrownBy(() -> serve.options.resolve().config())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("health-check-interval-seconds must be 5-300");
        var otherRegion = new ServeCommand();
        new CommandLine(otherRegion).parseArgs("--alb-listeners",
                "web:8081:arn:aws:lambda:eu-west-1:000000000000:function:f");
        assertThatThrownBy(() -> otherRegion.options.resolve().config())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target group web names function")
                .hasMessageContaining("ResourceNotFoundException");
    }
}
