package io.lamina.it;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

/** An SQS-compatible server (ElasticMQ) in the test's JVM on a free port, with an SDK client for it. */
public final class ElasticMq implements AutoCloseable {
    public static final String ACCOUNT = "000000000000";
    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient client;

    private ElasticMq(SQSRestServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
        this.client = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    public static ElasticMq start() {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().withAWSAccountId(ACCOUNT)
                .withAWSRegion("us-east-1").start();
        return new ElasticMq(server, URI.create("http://127.0.0.1:" + server.waitUntilStarted().localAddress().getPort()));
    }

    public URI endpoint() {
        return endpoint;
    }

    public SqsClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
