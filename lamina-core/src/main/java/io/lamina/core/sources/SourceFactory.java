package io.lamina.core.sources;

import io.lamina.core.mappings.EventSourceMapping;

import java.net.URI;
import java.time.Clock;
import java.util.Map;

/** Opens the {@link RecordSource} a mapping reads; one factory per source kind. */
@FunctionalInterface
public interface SourceFactory {

    /**
     * @throws SourceException when the source cannot be reached now (the poller tries again)
     */
    RecordSource<?> open(EventSourceMapping mapping, Context context);

    /**
     * What factories may use: Lamina's region, the endpoints configured per AWS service ({@code sqs}...),
     * brokers and secrets from the resources file, and the clock.
     */
    record Context(String region, Map<String, URI> serviceEndpoints, SourceResources resources, Clock clock) {
    }
}
