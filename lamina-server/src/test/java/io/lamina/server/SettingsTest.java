package io.lamina.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void resolve_withNothingGiven_usesTheDefaults() {
        var config = Settings.resolve(Optional.empty(), Map.of(), Map.of()).config();
        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.dataDir()).isEqualTo(Path.of(".lamina"));
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.accountId()).isEqualTo("000000000000");
        assertThat(config.accountConcurrency()).isEqualTo(1000);
        assertThat(config.minimumUnreservedConcurrency()).isEqualTo(100);
        assertThat(config.environmentIdleTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void resolve_flagsBeatEnvironmentWhichBeatsTheFile() throws Exception {
        Path file = dir.resolve("lamina.properties");
        Files.writeString(file, "port=9100\nregion=eu-west-1\naccount-id=111111111111\n");
        var settings = Settings.resolve(Optional.of(file), Map.of("LAMINA_PORT", "9200", "LAMINA_REGION", "eu-central-1"),
                Map.of("port", "9300"));
        var config = settings.config();
        assertThat(config.port()).isEqualTo(9300);
        assertThat(config.region()).isEqualTo("eu-central-1");
        assertThat(config.accountId()).isEqualTo("111111111111");
        assertThat(settings.values()).filteredOn(v -> v.key().equals("port")).singleElement()
                .satisfies(v -> assertThat(v.source()).isEqualTo("flag --port"));
        assertThat(settings.values()).filteredOn(v -> v.key().equals("account-id")).singleElement()
                .satisfies(v -> assertThat(v.source()).isEqualTo("file " + file));
    }

    @Test
    void resolve_readsDurationsInSecondsUnitsOrIso() {
        assertThat(Settings.duration("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Settings.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Settings.duration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Settings.duration("PT2H")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void resolve_rejectsUnknownFileKeysAndBadValues() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "prot=9100\n");
        assertThatThrownBy(() -> Settings.resolve(Optional.of(file), Map.of(), Map.of()))
                .hasMessageContaining("unknown setting 'prot'");
        assertThatThrownBy(() -> Settings.resolve(Optional.empty(), Map.of("LAMINA_ACCOUNT_ID", "12"), Map.of()).config())
                .hasMessageContaining("accountId must be 12 digits");
        assertThatThrownBy(() -> Settings.resolve(Optional.empty(), Map.of(), Map.of("port", "nine")).config())
                .hasMessageContaining("not a number");
    }
}
