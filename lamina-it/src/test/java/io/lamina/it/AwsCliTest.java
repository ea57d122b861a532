package io.lamina.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The AWS CLI v2 (Debian's /usr/bin/aws) against Lamina: create, invoke, list, publish, alias, permissions, delete. */
class AwsCliTest {

    @Test
    void awsCli_drivesTheLambdaApiEndToEnd() throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("lamina.root", ".."), "lamina-it/src/test/shell/aws-cli-test.sh");
        try (LaminaFixture lamina = LaminaFixture.start()) {
            Process p = new ProcessBuilder("bash", script.toString(), lamina.endpoint()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).containsPattern("aws cli test: [0-9]+ checks passed");
        }
    }
}
