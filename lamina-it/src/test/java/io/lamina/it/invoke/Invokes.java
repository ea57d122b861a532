package io.lamina.it.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.it.LaminaFixture;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What the invoke tests read out of an Invoke response: JSON payloads, the tail log and its REPORT line. */
final class Invokes {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = "000000000000";
    static final String ARN_PREFIX = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:";
    /** A log stream name as AWS forms it: {@code YYYY/MM/DD/[version]<32 hex>}. */
    static final String STREAM_PATTERN = "\\d{4}/\\d{2}/\\d{2}/\\[%s\\][0-9a-f]{32}";
    /** AWS's REPORT line: tab-separated fields and a trailing tab; Init Duration only on a cold start. */
    static final Pattern REPORT = Pattern.compile("REPORT RequestId: ([0-9a-f-]{36})\tDuration: (\\d+\\.\\d{2}) ms"
            + "\tBilled Duration: (\\d+) ms\tMemory Size: (\\d+) MB\tMax Memory Used: (\\d+) MB"
            + "(?:\tInit Duration: (\\d+\\.\\d{2}) ms)?\t(?:(Status: [^\n]*)\t)?\n");

    private Invokes() {
    }

    static JsonNode json(InvokeResponse r) {
        return json(r.payload().asByteArray());
    }

    static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    static JsonNode json(String text) {
        return json(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The field names of a JSON object, in document order. */
    static List<String> fieldNames(JsonNode n) {
        var out = new ArrayList<String>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The decoded {@code X-Amz-Log-Result}. */
    static String tail(InvokeResponse r) {
        assertThat(r.logResult()).as("X-Amz-Log-Result").isNotNull();
        return new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
    }

    static String requestId(InvokeResponse r) {
        return r.responseMetadata().requestId();
    }

    /** The REPORT line of a log, checked against AWS's format and arithmetic. */
    record Report(String requestId, BigDecimal duration, long billed, int memorySize, long maxMemoryUsed,
                  Optional<BigDecimal> initDuration, Optional<String> status) {
    }

    static Report report(String log) {
        Matcher m = REPORT.matcher(log);
        assertThat(m.find()).as("REPORT line in:\n%s", log).isTrue();
        var report = new Report(m.group(1), new BigDecimal(m.group(2)), Long.parseLong(m.group(3)),
                Integer.parseInt(m.group(4)), Long.parseLong(m.group(5)),
                Optional.ofNullable(m.group(6)).map(BigDecimal::new), Optional.ofNullable(m.group(7)));
        // Since August 2025 AWS bills the init phase of on-demand functions too: ceil(Duration + Init Duration).
        BigDecimal billed = report.duration().add(report.initDuration().orElse(BigDecimal.ZERO))
                .setScale(0, RoundingMode.CEILING).max(BigDecimal.ONE);
        assertThat(report.billed()).as("Billed Duration of %s", m.group()).isEqualTo(billed.longValueExact());
        return report;
    }

    private static final DateTimeFormatter RECORDED = DateTimeFormatter.ofPattern("dd-MM-yyyy, HH:mm:ss");

    /** The golden data AWS recorded (see DESIGN.md §6); the latest recording if a test was recorded twice. */
    static JsonNode golden(String snapshotFile, String testId) {
        Path p = Path.of(System.getProperty("lamina.golden", "../testdata/golden"), "localstack-snapshots", snapshotFile);
        try {
            JsonNode all = JSON.readTree(p.toFile());
            JsonNode latest = null;
            LocalDateTime latestDate = LocalDateTime.MIN;
            var it = all.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (e.getKey().endsWith("::" + testId)) {
                    var date = LocalDateTime.parse(e.getValue().get("recorded-date").asText(), RECORDED);
                    if (date.isAfter(latestDate)) {
                        latestDate = date;
                        latest = e.getValue().get("recorded-content");
                    }
                }
            }
            if (latest == null) {
                throw new IllegalArgumentException("no snapshot " + testId + " in " + p);
            }
            return latest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void create(LaminaFixture lamina, Consumer<CreateFunctionRequest.Builder> request) {
        lamina.create(request);
    }

    static void create(LaminaFixture lamina, String name, Runtime runtime, String handler, byte[] zip) {
        lamina.create(name, runtime, handler, zip);
    }

    /** Waits until {@code name} is Active and its last update Successful (after a create or code update). */
    static void awaitReady(LaminaFixture lamina, String name) {
        lamina.awaitReady(name);
    }

    /** Polls {@code condition} every 20 ms for at most {@code millis}. */
    static boolean eventually(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
