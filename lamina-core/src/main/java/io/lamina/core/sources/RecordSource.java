package io.lamina.core.sources;

import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.core.destinations.Destinations;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one kind of event source does for a mapping's {@link Poller}: read records, shape them into the
 * function's event, and settle them. The poller owns everything else: concurrency slots, batching
 * windows, the 6 MB bound, filters, invoking, partial batch responses, retries and OnFailure.
 * Calls come from the poller's worker threads; a source with {@link #workers()} above 1 must be safe
 * for concurrent use.
 *
 * @param <R> one record as the source's client delivers it
 */
public interface RecordSource<R> extends AutoCloseable {

    /** Who redelivers a failed record. */
    enum Redelivery {
        /** The source does (SQS after the visibility timeout, RabbitMQ on requeue): failures are {@link #release}d. */
        BY_SOURCE,
        /**
         * The poller retries the batch in place, in order, honouring MaximumRetryAttempts, MaximumRecordAgeInSeconds,
         * BisectBatchOnFunctionError and OnFailure; a batch is {@link #acknowledge}d once it succeeded or was given up
         * (Kafka, streams).
         */
        IN_PLACE
    }

    Redelivery redelivery();

    /** Worker threads polling this source at once (SQS: several; Kafka and RabbitMQ: one, for ordering). */
    default int workers() {
        return 1;
    }

    /**
     * Waits at most {@code wait} (the source may cap it at its own long poll) for up to {@code max} records,
     * answering as soon as any arrive. An empty list means none came.
     *
     * @throws SourceException when the source cannot be read (the poller backs off and tries again)
     */
    List<R> poll(int max, Duration wait) throws InterruptedException;

    /**
     * How many records to ask for when {@code wanted} would do: a source whose every read costs a round
     * trip (SQS) takes a full read and lets the poller carry the surplus into its next batches.
     */
    default int pollSize(int wanted) {
        return wanted;
    }

    /** Bytes this record adds to the function's event, for the 6 MB payload bound. */
    int eventSize(R record);

    /** The record as FilterCriteria patterns see it: its JSON in the event (Lambda's data-key rules apply). */
    String filterView(R record);

    /** The function's event for a batch, in AWS's format. */
    byte[] event(List<R> batch);

    /**
     * The record a {@code batchItemFailures[].itemIdentifier} names; empty when it names none of the batch,
     * which makes the whole batch fail (AWS's rule).
     */
    Optional<R> identified(List<R> batch, JsonNode itemIdentifier);

    /** These records are done with (processed, filtered out, or given up): delete, ack or commit them. */
    void acknowledge(List<R> records);

    /** {@link Redelivery#BY_SOURCE}: these records failed or were not run; let the source redeliver them. */
    default void release(List<R> records) {
    }

    /**
     * {@link Redelivery#BY_SOURCE}: records read but never run, because the mapping stopped; the source should
     * offer them again soon rather than treat them as failures.
     */
    default void unrun(List<R> records) {
        release(records);
    }

    /** {@link Redelivery#IN_PLACE}: when the record entered the source (epoch ms), for MaximumRecordAgeInSeconds. */
    default long recordTimeMillis(R record) {
        return Long.MAX_VALUE;
    }

    /**
     * {@link Redelivery#IN_PLACE}: the document sent to {@code DestinationConfig.OnFailure} for a batch given up.
     */
    default String failureRecord(List<R> batch, FailureContext context) {
        throw new UnsupportedOperationException("no OnFailure record for this source");
    }

    /**
     * {@link Redelivery#IN_PLACE}: the delivery of a batch given up to {@code DestinationConfig.OnFailure}, made
     * once; the poller runs it until it returns (it throws while the destination cannot be reached). By default
     * the {@link #failureRecord} document goes to the SQS queue or SNS topic; a source whose mappings take other
     * destinations (an S3 bucket, a Kafka topic) overrides this.
     */
    default Runnable failureDelivery(List<R> batch, FailureContext context, String destination,
                                     Destinations destinations) {
        String doc = failureRecord(batch, context);
        return () -> destinations.sendDocument(destination, doc);
    }

    /** Makes a blocked {@link #poll} return soon; called when the mapping stops. */
    default void wakeup() {
    }

    /** Releases the client; called once, after the last worker stopped. */
    @Override
    void close();
}
