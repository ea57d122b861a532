package io.lamina.core.sources;

import io.lamina.core.mappings.SourceKind;
import io.lamina.core.sources.mq.RabbitSourceFactory;

import java.util.EnumMap;
import java.util.Map;

/** The source kinds Lamina polls, each with the factory that opens its {@link RecordSource}. */
public final class SourceFactories {
    private SourceFactories() {
    }

    public static Map<SourceKind, SourceFactory> all() {
        var m = new EnumMap<SourceKind, SourceFactory>(SourceKind.class);
        m.put(SourceKind.SQS, io.lamina.core.sources.sqs.SqsSource.factory());
        m.put(SourceKind.MQ, new RabbitSourceFactory());
        var kafka = new io.lamina.core.sources.kafka.KafkaSourceFactory();
        m.put(SourceKind.SELF_MANAGED_KAFKA, kafka);
        m.put(SourceKind.MSK, kafka);
        return m;
    }
}
