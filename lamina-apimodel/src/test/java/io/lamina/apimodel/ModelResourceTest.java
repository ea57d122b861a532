package io.lamina.apimodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static io.lamina.apimodel.Requests.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode description() throws Exception {
        try (InputStream in = LambdaApiModel.class.getResourceAsStream(ModelLoader.RESOURCE)) {
            assertThat(in).as(ModelLoader.RESOURCE).isNotNull();
            return JSON.readTree(in);
        }
    }

    @Test
    void descriptionHoldsTheServedOperationsAndEveryTypeTheyReferenceWithoutDocumentation() throws Exception {
        JsonNode d = description();

        assertThat(d.path("protocol").asText()).isEqualTo("rest-json");
        assertThat(d.path("apiVersion").asText()).isEqualTo("2015-03-31");
        assertThat(MODEL.metadata().path("protocol").asText()).isEqualTo("rest-json");
        assertThat(MODEL.metadata().path("apiVersion").asText()).isEqualTo("2015-03-31");
        assertThat(d.path("operations").size()).isEqualTo(42);
        Set<String> referenced = new HashSet<>();
        d.path("operations").forEach(op -> op.path("members").forEach(m -> collect(d, m.path("type").asText(), referenced)));
        Set<String> present = new HashSet<>();
        d.path("types").fieldNames().forEachRemaining(present::add);
        assertThat(present).isEqualTo(referenced);
        // Only the format's own fields: no documentation, no fields of other model formats.
        assertThat(d.toString()).doesNotContain("\"documentation\"", "\"shape\"", "\"shapes\"", "\"locationName\"",
                "\"requestUri\"", "\"output\"", "\"errors\"", "\"metadata\"");
    }

    @Test
    void headerSaysWhoseDescriptionItIsWhereItComesFromAndWhen() throws Exception {
        String about = String.join(" ", JSON.convertValue(description().path("_about"), String[].class));

        assertThat(about).contains("Lamina's description of the public AWS Lambda", "2015-03-31 and its dated paths",
                "AWS's published API constraints");
        assertThat(about).containsPattern("\\d{4}-\\d{2}-\\d{2}\\. ");
    }

    private static void collect(JsonNode d, String type, Set<String> into) {
        if (!into.add(type)) {
            return;
        }
        JsonNode t = d.path("types").path(type);
        assertThat(t.isMissingNode()).as("type " + type).isFalse();
        t.path("members").forEach(m -> collect(d, m.path("type").asText(), into));
        for (String k : new String[] {"element", "key", "value"}) {
            if (t.has(k)) {
                collect(d, t.path(k).asText(), into);
            }
        }
    }

    @Test
    void everyPatternCompilesAsAJavaRegularExpression() throws Exception {
        description().path("types").forEach(t -> {
            if (t.has("pattern")) {
                Pattern.compile(t.get("pattern").asText());
            }
        });
        assertThat(MODEL.shape("FunctionName").orElseThrow().pattern()).isPresent();
    }

    @Test
    void observedValuesReplaceOnlyWhatTheRecordedResponsesShowed() throws Exception {
        assertThat(MODEL.shape("EventSourcePosition").orElseThrow().enumValues())
                .containsExactly("LATEST", "AT_TIMESTAMP", "TRIM_HORIZON");
        assertThat(MODEL.shape("InvokeMode").orElseThrow().enumValues()).containsExactly("RESPONSE_STREAM", "BUFFERED");
        assertThat(MODEL.shape("TaggableResource").orElseThrow().pattern().orElseThrow()).contains("|layer:([a-zA-Z0-9-_]+)|");
        // Other types keep the published values.
        assertThat(MODEL.shape("Architecture").orElseThrow().enumValues()).containsExactly("x86_64", "arm64");
        assertThat(MODEL.shape("MemorySize").orElseThrow().min().orElseThrow()).isEqualTo(128.0);

        // Each observed value is marked as such, with its evidence.
        JsonNode d = description();
        Map<String, Set<String>> observed = new TreeMap<>();
        for (String section : new String[] {"types", "operations"}) {
            d.path(section).properties().forEach(e -> e.getValue().path("observed").properties().forEach(o -> {
                assertThat(o.getValue().asText()).as(e.getKey()).contains(".snapshot.json");
                observed.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(o.getKey());
            }));
        }
        assertThat(observed).isEqualTo(Map.of(
                "NamespacedFunctionName", Set.of("pattern"),
                "TaggableResource", Set.of("pattern"),
                "LayerVersionArn", Set.of("pattern"),
                "EventSourcePosition", Set.of("enum"),
                "InvokeMode", Set.of("enum"),
                "SubnetIds", Set.of("elementNullable"),
                "SecurityGroupIds", Set.of("elementNullable"),
                "CreateFunction", Set.of("notValidated"),
                "UpdateFunctionConfiguration", Set.of("notValidated")));
    }

    @Test
    void noticeNamesTheSourceOfTheObservedValuesAndItsLicence() throws Exception {
        try (InputStream in = LambdaApiModel.class.getResourceAsStream("NOTICE")) {
            assertThat(in).isNotNull();
            String notice = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(notice).contains(ModelLoader.RESOURCE, "Apache License, Version 2.0", "LocalStack");
            assertThat(Pattern.compile("https?://\\S+").matcher(notice).results().map(r -> r.group()))
                    .containsExactly("https://github.com/localstack/localstack):");
        }
    }

    @Test
    void shapesExposeMembersWithLocations() {
        Shape invocation = MODEL.shape("InvocationRequest").orElseThrow();
        assertThat(invocation.members().keySet()).startsWith("FunctionName", "InvocationType");
        Member type = invocation.members().get("InvocationType");
        assertThat(type.location()).isEqualTo(Member.Location.HEADER);
        assertThat(type.locationName()).isEqualTo("X-Amz-Invocation-Type");
        assertThat(type.pathName()).isEqualTo("invocationType");
        assertThat(invocation.members().get("FunctionName").required()).isTrue();
        assertThat(invocation.payloadMember()).contains("Payload");
        assertThat(MODEL.shape("Architectures").isPresent() || MODEL.shape("ArchitecturesList").isPresent()).isTrue();
    }

    @Test
    void loaderRejectsFieldsOutsideTheFormatAndReferencesToMissingTypes() {
        assertThatThrownBy(() -> new LambdaApiModel(JSON.readTree("""
                {"operations": {}, "types": {"S": {"type": "string", "documentation": "x"}}}""")))
                .hasMessageContaining("unknown field documentation");
        assertThatThrownBy(() -> new LambdaApiModel(JSON.readTree("""
                {"operations": {"Op": {"http": "GET /x", "input": "OpIn", "members": {"A": {"type": "Missing"}}}},
                 "types": {}}""")))
                .hasMessageContaining("missing type Missing");
        assertThatThrownBy(() -> new LambdaApiModel(JSON.readTree("""
                {"operations": {}, "types": {"S": {"type": "string", "observed": {"pattern": "x"}}}}""")))
                .hasMessageContaining("observed names absent field pattern");
    }
}
