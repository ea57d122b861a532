package io.lamina.it.httpapi;

import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The AWS CLI's apigatewayv2 commands against Lamina, then curl through the API they configured. */
class HttpApiCliTest {

    @Test
    void awsCli_configuresAnHttpApi_thatCurlCalls() throws Exception {
        Path script = Path.of(System.getProperty("lamina.root", ".."), "lamina-it/src/test/shell/httpapi-cli-test.sh");
        try (LaminaFixture lamina = LaminaFixture.start()) {
            HttpApis.node(lamina, "cli-echo", HttpApis.NODE_ECHO);
            Process p = new ProcessBuilder("bash", script.toString(), lamina.endpoint(), "cli-echo")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).containsPattern("httpapi cli test: [0-9]+ checks passed");
        }
    }
}
