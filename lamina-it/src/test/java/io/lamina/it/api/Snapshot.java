package io.lamina.it.api;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares what Lamina answers with what AWS answered in one recorded test, the way LocalStack's
 * snapshot library does: same members (no more, no fewer), same values, where a placeholder such as
 * {@code <uuid:2>} in the recording stands for a value that must be the same wherever the same
 * placeholder appears in the test and different from {@code <uuid:1>}, {@code <uuid:3>}...
 * Placeholders without a number ({@code <code-size>}, {@code <location>}) match any value unless
 * {@link #bind bound}; {@code "date"} matches AWS's timestamp format, {@code "datetime"} any instant
 * (a {@code Timestamp} member, which botocore parsed into a datetime).
 */
final class Snapshot {
    private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Za-z][^<>\\s]*>");
    private static final Pattern INDEXED = Pattern.compile("<([A-Za-z][\\w-]*):(\\d+)>");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
    /** Placeholders that stand for URLs or ARNs rather than names or ids. */
    private static final Set<String> FREE_TEXT = Set.of("<location>", "<layer-location>", "<user_arn>", "<repo_uri>",
            "<repo_uri_2>", "<csc_arn_invalid>");
    static final String ACCOUNT = "111111111111";
    static final String REGION = "us-east-1";

    private final String test;
    private final JsonNode recorded;
    private final Map<String, String> bindings = new LinkedHashMap<>();
    private final List<String> skipped = new ArrayList<>();

    private Snapshot(String test) {
        this.test = test;
        this.recorded = Golden.recorded(test);
        bind("<partition>", "aws");
        bind("<region>", REGION);
    }

    /** The recording of a test, e.g. {@code TestLambdaFunction::test_function_lifecycle}. */
    static Snapshot of(String test) {
        return new Snapshot(test);
    }

    /** Fixes what a placeholder stands for (test-specific ones such as {@code <fn-name>}). */
    Snapshot bind(String placeholder, String value) {
        String previous = bindings.putIfAbsent(placeholder, value);
        if (previous != null && !previous.equals(value)) {
            throw new AssertionError(test + ": " + placeholder + " is already " + previous + ", not " + value);
        }
        return this;
    }

    /**
     * Leaves out a member Lamina deliberately answers differently (give the path's tail, e.g.
     * {@code RuntimeVersionConfig.RuntimeVersionArn}); say why where it is called.
     */
    Snapshot skip(String pathSuffix) {
        skipped.add(pathSuffix);
        return this;
    }

    /** What a placeholder was bound to so far. */
    String value(String placeholder) {
        String v = bindings.get(placeholder);
        if (v == null) {
            throw new AssertionError(test + ": " + placeholder + " is not bound yet");
        }
        return v;
    }

    /** The recorded response under {@code key}, as recorded (placeholders in place). */
    JsonNode recorded(String key) {
        JsonNode expected = recorded.get(key);
        if (expected == null) {
            throw new IllegalArgumentException(test + " recorded no key " + key + "; keys: " + keys());
        }
        // LocalStack's create_lambda_function fixture returns {"CreateFunctionResponse": ..., "CreateEventSourceMappingResponse": null}
        if (expected.has("CreateFunctionResponse")) {
            expected = expected.get("CreateFunctionResponse");
        }
        return expected;
    }

    void match(String key, AwsResponse response) {
        match(key, SdkJson.response(response));
    }

    void match(String key, AwsServiceException error) {
        match(key, SdkJson.error(error));
    }

    void match(String key, JsonNode actual) {
        List<String> problems = new ArrayList<>();
        compare(key, recorded(key), actual, problems);
        if (!problems.isEmpty()) {
            throw new AssertionError(test + " / " + key + " differs from AWS's recorded response:\n  "
                    + String.join("\n  ", problems) + "\nactual: " + actual.toPrettyString()
                    + "\nrecorded: " + recorded(key).toPrettyString());
        }
    }

    private List<String> keys() {
        var out = new ArrayList<String>();
        recorded.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private boolean isSkipped(String path) {
        return skipped.stream().anyMatch(s -> path.equals(s) || path.endsWith("." + s));
    }

    private void compare(String path, JsonNode expected, JsonNode actual, List<String> problems) {
        if (isSkipped(path)) {
            return;
        }
        if (expected.isObject()) {
            if (actual != null && actual.isTextual() && actual.asText().startsWith("{")) {
                actual = parse(actual.asText()); // Statement and Policy are JSON documents in strings
            }
            if (actual == null || !actual.isObject()) {
                problems.add(path + ": expected an object, got " + actual);
                return;
            }
            Set<String> expectedKeys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(expectedKeys::add);
            Set<String> actualKeys = new TreeSet<>();
            actual.fieldNames().forEachRemaining(actualKeys::add);
            if (path.endsWith("ResponseMetadata")) {
                expectedKeys.retainAll(Set.of("HTTPStatusCode")); // headers, request ids, retries: not part of the answer
            }
            for (String k : expectedKeys) {
                if (expected.get(k).isNull() && !actualKeys.contains(k)) {
                    continue; // botocore records absent members it was told about as null
                }
                if (!actualKeys.contains(k)) {
                    if (!isSkipped(path + "." + k)) {
                        problems.add(path + "." + k + ": missing (recorded " + expected.get(k) + ")");
                    }
                } else {
                    compare(path + "." + k, expected.get(k), actual.get(k), problems);
                }
            }
            for (String k : actualKeys) {
                if (!expectedKeys.contains(k) && !isSkipped(path + "." + k)) {
                    problems.add(path + "." + k + ": not in AWS's response, got " + actual.get(k));
                }
            }
            return;
        }
        if (expected.isArray()) {
            if (actual == null || !actual.isArray() || actual.size() != expected.size()) {
                problems.add(path + ": expected " + expected.size() + " items, got " + actual);
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(path + "[" + i + "]", expected.get(i), actual.get(i), problems);
            }
            return;
        }
        if (expected.isNull()) {
            if (actual != null && !actual.isNull()) {
                problems.add(path + ": expected null, got " + actual);
            }
            return;
        }
        if (actual == null || actual.isNull() || actual.isContainerNode()) {
            problems.add(path + ": expected " + expected + ", got " + actual);
            return;
        }
        if (expected.isNumber()) {
            if (!actual.isNumber() || Double.compare(expected.asDouble(), actual.asDouble()) != 0) {
                problems.add(path + ": expected " + expected + ", got " + actual);
            }
            return;
        }
        if (expected.isBoolean()) {
            if (!actual.isBoolean() || expected.asBoolean() != actual.asBoolean()) {
                problems.add(path + ": expected " + expected + ", got " + actual);
            }
            return;
        }
        String exp = expected.asText();
        String act = actual.asText();
        if (exp.equals("date") && !act.equals("date")) {
            if (!TIMESTAMP.matcher(act).matches()) {
                problems.add(path + ": expected a timestamp like 2024-01-01T00:00:00.000+0000, got " + act);
            }
            return;
        }
        if (exp.equals("datetime") && !act.equals("datetime")) {
            // botocore's datetime for a Timestamp member; the SDK hands us an Instant
            try {
                java.time.Instant.parse(act);
            } catch (java.time.format.DateTimeParseException e) {
                problems.add(path + ": expected an instant, got " + act);
            }
            return;
        }
        String problem = matchString(exp, act);
        if (problem != null) {
            problems.add(path + ": " + problem);
        }
    }

    /** Matches a recorded string with placeholders against an actual one, binding what it can. */
    private String matchString(String expected, String actual) {
        Matcher m = PLACEHOLDER.matcher(expected);
        var regex = new StringBuilder("^");
        var captured = new ArrayList<String>();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(expected.substring(last, m.start())));
            String ph = m.group();
            String bound = bindings.get(ph);
            if (bound != null) {
                regex.append(Pattern.quote(bound));
            } else {
                // names, ids and hashes never contain ':' (which separates ARN parts); URLs and ARNs do
                regex.append(FREE_TEXT.contains(ph) ? "(.+?)" : "([^:]+?)");
                captured.add(ph);
            }
            last = m.end();
        }
        regex.append(Pattern.quote(expected.substring(last))).append("$");
        Matcher am = Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(actual);
        if (!am.matches()) {
            return "expected " + describe(expected) + ", got " + abbreviate(actual);
        }
        Map<String, String> fresh = new LinkedHashMap<>();
        for (int i = 0; i < captured.size(); i++) {
            String ph = captured.get(i);
            String value = am.group(i + 1);
            String prior = fresh.putIfAbsent(ph, value);
            if (prior != null && !prior.equals(value)) {
                return ph + " stands for both " + prior + " and " + value;
            }
        }
        for (var e : fresh.entrySet()) {
            Matcher indexed = INDEXED.matcher(e.getKey());
            if (!indexed.matches()) {
                continue; // un-numbered placeholders match anything unless bound
            }
            String family = "<" + indexed.group(1) + ":";
            for (var b : bindings.entrySet()) {
                if (b.getKey().startsWith(family) && b.getValue().equals(e.getValue())) {
                    return e.getKey() + " must differ from " + b.getKey() + " but both are " + e.getValue();
                }
            }
            bindings.put(e.getKey(), e.getValue());
        }
        return null;
    }

    private String describe(String expected) {
        Matcher m = PLACEHOLDER.matcher(expected);
        var sb = new StringBuilder();
        int last = 0;
        while (m.find()) {
            sb.append(expected, last, m.start());
            String bound = bindings.get(m.group());
            sb.append(bound != null ? bound : m.group());
            last = m.end();
        }
        sb.append(expected.substring(last));
        return abbreviate(sb.toString());
    }

    private static String abbreviate(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "...(" + s.length() + " chars)" : s;
    }

    private static JsonNode parse(String json) {
        try {
            return SdkJson.JSON.readTree(json);
        } catch (IOException e) {
            return SdkJson.JSON.getNodeFactory().textNode(json);
        }
    }

}
