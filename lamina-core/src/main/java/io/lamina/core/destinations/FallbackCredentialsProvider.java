package io.lamina.core.destinations;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK's credentials chain, or placeholder credentials when the chain finds none: a local
 * SQS/SNS/EventBridge-compatible endpoint (ElasticMQ, Lamina's own APIs) accepts any signature, and a
 * developer should not have to invent keys to try destinations. Once the chain has come up empty it
 * is not asked again, so that every delivery does not wait for the instance-metadata probe.
 * Credentials are never logged.
 */
public final class FallbackCredentialsProvider implements AwsCredentialsProvider, SdkAutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackCredentialsProvider.class);
    static final AwsCredentials PLACEHOLDER = AwsBasicCredentials.create("lamina", "lamina");

    private final AwsCredentialsProvider chain;
    private volatile boolean chainEmpty;

    public FallbackCredentialsProvider(AwsCredentialsProvider chain) {
        this.chain = chain;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        if (!chainEmpty) {
            try {
                return chain.resolveCredentials();
            } catch (SdkClientException e) {
                chainEmpty = true;
                LOG.info("No AWS credentials found by the default chain; destinations and pollers sign with placeholder credentials");
            }
        }
        return PLACEHOLDER;
    }

    @Override
    public void close() {
        if (chain instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }
}
