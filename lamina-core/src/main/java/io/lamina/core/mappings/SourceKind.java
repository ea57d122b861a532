package io.lamina.core.mappings;

import java.util.Optional;

/**
 * The kind of event source a mapping reads, from its ARN (or self-managed Kafka from its bootstrap
 * servers). Defaults and ranges differ per kind, as AWS documents them.
 */
public enum SourceKind {
    SQS, KINESIS, DYNAMODB_STREAMS, MSK, MQ, SELF_MANAGED_KAFKA, DOCUMENTDB;

    public static Optional<SourceKind> ofArn(String arn) {
        String[] p = arn.split(":", 6);
        if (p.length < 6 || !p[0].equals("arn")) {
            return Optional.empty();
        }
        return switch (p[2]) {
            case "sqs" -> Optional.of(SQS);
            case "kinesis" -> Optional.of(KINESIS);
            case "dynamodb" -> p[5].contains("/stream/") ? Optional.of(DYNAMODB_STREAMS) : Optional.empty();
            case "kafka" -> Optional.of(MSK);
            case "mq" -> Optional.of(MQ);
            case "rds" -> Optional.of(DOCUMENTDB);
            default -> Optional.empty();
        };
    }

    /** Kinesis and DynamoDB Streams: shards, checkpoints, bisect, parallelization, tumbling windows. */
    public boolean stream() {
        return this == KINESIS || this == DYNAMODB_STREAMS;
    }

    public boolean kafka() {
        return this == MSK || this == SELF_MANAGED_KAFKA;
    }

    /** Sources that read from a position: StartingPosition is required. */
    public boolean positioned() {
        return stream() || kafka() || this == DOCUMENTDB;
    }

    /**
     * AWS's default BatchSize: 10 for SQS, 100 for streams, Kafka, MSK and Amazon MQ
     * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html).
     */
    public int defaultBatchSize() {
        return this == SQS ? 10 : 100;
    }

    /** How this source's records are shown to FilterCriteria patterns (Lambda's data-key rules). */
    public io.lamina.core.sources.filter.FilterSource filterSource() {
        return switch (this) {
            case SQS -> io.lamina.core.sources.filter.FilterSource.sqs();
            case KINESIS -> io.lamina.core.sources.filter.FilterSource.kinesis();
            case DYNAMODB_STREAMS -> io.lamina.core.sources.filter.FilterSource.dynamodbStreams();
            case MSK, SELF_MANAGED_KAFKA -> io.lamina.core.sources.filter.FilterSource.kafka();
            case MQ -> io.lamina.core.sources.filter.FilterSource.mq();
            case DOCUMENTDB -> io.lamina.core.sources.filter.FilterSource.plain();
        };
    }
}
