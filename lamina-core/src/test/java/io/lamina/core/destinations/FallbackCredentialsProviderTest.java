package io.lamina.core.destinations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

class FallbackCredentialsProviderTest {

    @Test
    void resolveCredentials_whenTheChainFindsSome_isThose() {
        AwsCredentials found = AwsBasicCredentials.create("AKIDEXAMPLE", "secret");

        assertThat(new FallbackCredentialsProvider(() -> found).resolveCredentials()).isSameAs(found);
    }

    @Test
    void resolveCredentials_whenTheChainFindsNone_isThePlaceholderAndTheChainIsNotAskedAgain() {
        AtomicInteger asked = new AtomicInteger();
        FallbackCredentialsProvider provider = new FallbackCredentialsProvider(() -> {
            asked.incrementAndGet();
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        });

        AwsCredentials first = provider.resolveCredentials();
        AwsCredentials second = provider.resolveCredentials();

        assertThat(first.accessKeyId()).isEqualTo("lamina");
        assertThat(first.secretAccessKey()).isEqualTo("lamina");
        assertThat(second).isSameAs(first);
        assertThat(asked).hasValue(1);
    }
}
