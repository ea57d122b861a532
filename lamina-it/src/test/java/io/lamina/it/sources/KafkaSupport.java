package io.lamina.it.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.it.Functions;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingRequest;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.SourceAccessConfiguration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Functions, mapping requests and waits shared by the Kafka end-to-end tests. */
public final class KafkaSupport {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String JAVA_HANDLER = "io.lamina.testfunctions.KafkaRecorderHandler::handleRequest";
    /** Self-managed Kafka needs an access configuration; the VPC kinds ask nothing of the client. */
    public static final List<SourceAccessConfiguration> VPC = List.of(
            SourceAccessConfiguration.builder().type("VPC_SUBNET").uri("subnet:subnet-0001").build(),
            SourceAccessConfiguration.builder().type("VPC_SECURITY_GROUP").uri("security_group:sg-0001").build());

    private KafkaSupport() {
    }

    /**
     * A Node.js function that appends the raw event to {@code $RECORD_DIR/<function>.jsonl}, fails when a
     * record's value starts with {@code fail}, and reports records whose value starts with {@code reject}.
     */
    public static byte[] node() {
        return Functions.node("""
                const fs = require('fs');
                const path = require('path');
                exports.handler = async (event, context) => {
                  fs.appendFileSync(path.join(process.env.RECORD_DIR, context.functionName + '.jsonl'),
                    JSON.stringify(event) + "\\n");
                  const failures = [];
                  for (const [key, records] of Object.entries(event.records)) {
                    for (const r of records) {
                      const v = r.value === undefined ? '' : Buffer.from(r.value, 'base64').toString();
                      if (v.startsWith('fail')) { throw new Error('record ' + r.offset + ' asked to fail'); }
                      if (v.startsWith('reject')) { failures.push({itemIdentifier: {partition: key, offset: r.offset}}); }
                    }
                  }
                  return {batchItemFailures: failures};
                };
                """);
    }

    /**
     * A Python function recording like {@link #node()}; a record whose value starts with {@code reject-once}
     * is reported failed the first time only (a marker file remembers it).
     */
    public static byte[] python() {
        return Functions.python("""
                import base64, json, os

                def handler(event, context):
                    d = os.environ['RECORD_DIR']
                    with open(os.path.join(d, context.function_name + '.jsonl'), 'a') as f:
                        f.write(json.dumps(event) + "\\n")
                    failures = []
                    for key, records in event['records'].items():
                        for r in records:
                            v = base64.b64decode(r['value']).decode() if 'value' in r else ''
                            if v.startswith('fail'):
                                raise Exception('record %d asked to fail' % r['offset'])
                            if v.startswith('reject-once'):
                                marker = os.path.join(d, '%s-%s-%d.rejected' % (context.function_name, key, r['offset']))
                                if not os.path.exists(marker):
                                    open(marker, 'w').close()
                                    failures.append({'itemIdentifier': {'partition': key, 'offset': r['offset']}})
                    return {'batchItemFailures': failures}
                """);
    }

    /** A self-managed Kafka mapping request for one topic. */
    public static CreateEventSourceMappingRequest.Builder selfManaged(String function, String servers, String topic) {
        return CreateEventSourceMappingRequest.builder().functionName(function).topics(topic)
                .selfManagedEventSource(s -> s.endpointsWithStrings(Map.of("KAFKA_BOOTSTRAP_SERVERS", List.of(servers))))
                .sourceAccessConfigurations(VPC);
    }

    /** The invocations a recorder function wrote, one JSON event per line. */
    public static List<JsonNode> invocations(Path dir, String function) {
        return io.lamina.it.JsonLines.read(dir.resolve(function + ".jsonl"));
    }

    /** Every record of an invocation, partitions in the event's order. */
    public static List<JsonNode> records(JsonNode invocation) {
        var out = new ArrayList<JsonNode>();
        for (Iterator<JsonNode> it = invocation.get("records").elements(); it.hasNext(); ) {
            it.next().forEach(out::add);
        }
        return out;
    }

    /** A record's value: base64-decoded from a raw event (Node, Python), as is from the Java recorder. */
    public static String value(JsonNode record, boolean encoded) {
        if (!record.hasNonNull("value")) {
            return null;
        }
        String v = record.get("value").asText();
        return encoded ? new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8) : v;
    }

    public static List<String> values(List<JsonNode> invocations, boolean encoded) {
        var out = new ArrayList<String>();
        for (JsonNode inv : invocations) {
            for (JsonNode r : records(inv)) {
                out.add(value(r, encoded));
            }
        }
        return out;
    }

    public static GetEventSourceMappingResponse awaitState(LambdaClient lambda, String uuid, String state) {
        return io.lamina.it.Waits.awaitMappingState(lambda, uuid, state);
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        io.lamina.it.Waits.await(what, timeout, condition);
    }

    public static void sleep(long ms) {
        io.lamina.it.Waits.sleep(ms);
    }
}
