package io.lamina.core.sources;

import io.lamina.core.urls.SigningCredential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The resources file's {@code credentials}: the identities that may sign requests to AWS_IAM function URLs. */
class SourceResourcesCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void read_whenCredentialsAreListed_keepsThemAndNeverPrintsTheSecret() throws IOException {
        Path file = dir.resolve("resources.json");
        Files.writeString(file, """
                {"credentials": [{"accessKeyId": "AKIDDEV", "secretAccessKey": "s3cr3t",
                                  "arn": "arn:aws:iam::222222222222:user/partner"}]}""");
        SourceResources r = SourceResources.read(file);
        assertThat(r.credentials()).containsExactly(new SigningCredential("AKIDDEV", "s3cr3t",
                "arn:aws:iam::222222222222:user/partner"));
        assertThat(r.credentials().get(0).accountId()).isEqualTo("222222222222");
        assertThat(r.toString()).contains("AKIDDEV").doesNotContain("s3cr3t");
        assertThat(r.credentials().get(0).toString()).doesNotContain("s3cr3t");
    }

    @Test
    void read_whenACredentialLacksItsArn_isAConfigurationError() throws IOException {
        Path file = dir.resolve("resources.json");
        Files.writeString(file, "{\"credentials\": [{\"accessKeyId\": \"A\", \"secretAccessKey\": \"s\"}]}");
        assertThatThrownBy(() -> SourceResources.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("arn must be an IAM or STS ARN");
    }
}
