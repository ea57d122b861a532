package io.lamina.core.sources.filter;

import java.util.List;

/**
 * The compiled {@code FilterCriteria} of an event source mapping: a record passes when ANY of the
 * filters' patterns matches it (Lambda ORs its filters). Patterns use EventBridge's syntax and are
 * compiled once, by AWS's own engine (event-ruler). Thread-safe.
 */
public interface RecordFilter {

    /** Whether the record, given as JSON, passes the filter. */
    boolean matches(String recordJson);

    /**
     * Patterns matched against the record exactly as given (no data-key handling): the EventBridge
     * semantics alone. An empty list matches every record.
     *
     * @throws InvalidFilterPatternException when a pattern is not a valid EventBridge pattern
     */
    static RecordFilter compile(List<String> patterns) {
        return RulerRecordFilter.compile(FilterSource.plain(), patterns);
    }

    /**
     * Patterns for a mapping of the given source kind: {@link #matches(String)} then takes a record in
     * the source's Lambda event form and applies Lambda's data-key rules (see {@link FilterSource}).
     * An empty list matches every record.
     *
     * @throws InvalidFilterPatternException when a pattern is invalid, including Lambda's rule that a
     *     Kinesis or DynamoDB Streams pattern on the data key must be a JSON object
     */
    static RecordFilter compile(FilterSource source, List<String> patterns) {
        return RulerRecordFilter.compile(source, patterns);
    }

    /** The filter of a mapping without {@code FilterCriteria}. */
    static RecordFilter matchAll() {
        return recordJson -> true;
    }
}
