package io.lamina.core.sources.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lamina.core.sources.filter.FilterSource.DataFormat;
import io.lamina.core.sources.filter.FilterSource.FilterSubject;
import java.util.ArrayList;
import java.util.List;
import software.amazon.event.ruler.GenericMachine;

/**
 * All of a mapping's patterns in one event-ruler machine, each named by its index, so one pass over
 * the record tells which patterns match; Lambda's data-format rule then decides per pattern.
 */
final class RulerRecordFilter implements RecordFilter {
    private final FilterSource source;
    private final GenericMachine<Integer> machine;
    private final List<DataFormat> patternFormats;

    private RulerRecordFilter(FilterSource source, GenericMachine<Integer> machine, List<DataFormat> patternFormats) {
        this.source = source;
        this.machine = machine;
        this.patternFormats = patternFormats;
    }

    static RecordFilter compile(FilterSource source, List<String> patterns) {
        if (patterns.isEmpty()) {
            return RecordFilter.matchAll();
        }
        GenericMachine<Integer> machine = GenericMachine.<Integer>builder().build();
        List<DataFormat> formats = new ArrayList<>(patterns.size());
        for (int i = 0; i < patterns.size(); i++) {
            String pattern = patterns.get(i);
            formats.add(dataFormatOf(source, pattern));
            try {
                machine.addRule(i, pattern);
            } catch (Exception e) {
                // event-ruler reports a bad pattern as IOException or IllegalArgumentException.
                throw new InvalidFilterPatternException("pattern " + i + ": " + e.getMessage());
            }
        }
        return new RulerRecordFilter(source, machine, List.copyOf(formats));
    }

    /** What the pattern expects at the data key: an object (JSON), a list of rules (plain), or nothing. */
    private static DataFormat dataFormatOf(FilterSource source, String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new InvalidFilterPatternException("empty pattern");
        }
        JsonNode root;
        try {
            root = DataKeySource.JSON.readTree(pattern);
        } catch (JsonProcessingException e) {
            throw new InvalidFilterPatternException("not JSON: " + e.getOriginalMessage());
        }
        if (!root.isObject()) {
            throw new InvalidFilterPatternException("not a JSON object");
        }
        if (source.dataKey().isEmpty()) {
            return DataFormat.ABSENT;
        }
        JsonNode data = root.get(source.dataKey().get());
        if (data == null) {
            return DataFormat.ABSENT;
        }
        if (data.isObject()) {
            return DataFormat.JSON;
        }
        if (source.dataPatternMustBeJson()) {
            throw new InvalidFilterPatternException(
                    "the pattern for " + source.dataKey().get() + " must be a JSON object");
        }
        return DataFormat.PLAIN;
    }

    @Override
    public boolean matches(String recordJson) {
        FilterSubject subject = source.subject(recordJson);
        for (Integer matched : machine.rulesForJSONEvent(subject.json())) {
            DataFormat expected = patternFormats.get(matched);
            if (expected == DataFormat.ABSENT
                    || subject.dataFormat() == DataFormat.ABSENT
                    || expected == subject.dataFormat()) {
                return true;
            }
        }
        return false;
    }
}
