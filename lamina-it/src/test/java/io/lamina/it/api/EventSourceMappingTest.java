package io.lamina.it.api;

import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.lamina.it.api.ApiTestSupport.arn;
import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.fixtureRequest;
import static io.lamina.it.api.ApiTestSupport.name;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Create/Get/List/Update/DeleteEventSourceMapping: AWS's recorded answers, defaults per source kind,
 * the states a mapping passes through, paging and persistence. No source is polled yet.
 */
class EventSourceMappingTest extends ApiTest {
    private static final String ACCOUNT = ApiTestSupport.ACCOUNT;
    private static final String QUEUE = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":esm-queue";
    private static final String DLQ = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":esm-failures";
    private static final String TABLE = "esm-table";
    private static final String STREAM_LABEL = "2026-01-01T00:00:00.000";
    private static final String DDB_STREAM = "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/" + TABLE + "/stream/"
            + STREAM_LABEL;
    private static final String KINESIS = "arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/esm-stream";
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:kafka-secret";

    // ---------------------------------------------------------------- recorded against AWS

    @Test
    void exceptions_answerLikeAws() {
        String name = name("fn-esm");
        var snapshot = Snapshot.of("TestLambdaEventSourceMappings::test_event_source_mapping_exceptions");
        create(lambda, fixtureRequest(name));
        String unknown = UUID.randomUUID().toString();

        snapshot.match("get_unknown_uuid", error(() -> lambda.getEventSourceMapping(r -> r.uuid(unknown))));
        snapshot.match("delete_unknown_uuid", error(() -> lambda.deleteEventSourceMapping(r -> r.uuid(unknown))));
        snapshot.match("update_unknown_uuid", error(() -> lambda.updateEventSourceMapping(r -> r.uuid(unknown)
                .functionName(name))));
        snapshot.match("create_no_event_source_arn", error(() -> lambda.createEventSourceMapping(r -> r
                .functionName(name).batchSize(1))));
        snapshot.match("create_unknown_params", error(() -> lambda.createEventSourceMapping(r -> r
                .functionName(name("does-not-exist")).eventSourceArn(QUEUE).batchSize(1))));
        snapshot.match("destination_config_failure", error(() -> lambda.createEventSourceMapping(r -> r
                .functionName(name).eventSourceArn(QUEUE)
                .destinationConfig(d -> d.onFailure(f -> f.destination(DLQ))))));
    }

    @Test
    void lifecycle_answersCreatingThenEnabledThenDeleting() {
        String name = name("fn-esm");
        var snapshot = Snapshot.of("TestLambdaEventSourceMappings::test_event_source_mapping_lifecycle")
                .bind("<resource:1>", STREAM_LABEL).bind("<resource:2>", TABLE).bind("<resource:3>", "esm-failures")
                .bind("<resource:5>", name);
        create(lambda, fixtureRequest(name));

        var created = lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(DDB_STREAM)
                .destinationConfig(d -> d.onFailure(f -> f.destination(DLQ))).batchSize(1)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).maximumBatchingWindowInSeconds(1)
                .maximumRetryAttempts(1));
        snapshot.bind("<resource:4>", created.uuid());
        snapshot.match("create_response", created);
        snapshot.match("get_response", awaitState(created.uuid(), "Enabled"));
        snapshot.match("delete_response", lambda.deleteEventSourceMapping(r -> r.uuid(created.uuid())));
        awaitGone(created.uuid());
    }

    @Test
    void deletingTheFunction_leavesTheMappingAsAwsDoes() {
        String name = name("fn-esm");
        var snapshot = Snapshot.of("TestLambdaEventSourceMappings::test_event_source_mapping_lifecycle_delete_function")
                .bind("<resource:1>", STREAM_LABEL).bind("<resource:2>", TABLE).bind("<resource:3>", "esm-failures")
                .bind("<resource:5>", name);
        create(lambda, fixtureRequest(name));

        var created = lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(DDB_STREAM)
                .destinationConfig(d -> d.onFailure(f -> f.destination(DLQ))).batchSize(1)
                .startingPosition(EventSourcePosition.TRIM_HORIZON).maximumBatchingWindowInSeconds(1)
                .maximumRetryAttempts(1));
        snapshot.bind("<resource:4>", created.uuid());
        snapshot.match("create_response", created);
        snapshot.match("get_response", awaitState(created.uuid(), "Enabled"));
        snapshot.match("delete_function_response", lambda.deleteFunction(r -> r.functionName(name)));
        snapshot.match("get_response_post_delete", lambda.getEventSourceMapping(r -> r.uuid(created.uuid())));
        snapshot.match("delete_response", lambda.deleteEventSourceMapping(r -> r.uuid(created.uuid())));
    }

    @Test
    void streamValidation_answersLikeAws() {
        String name = name("fn-esm");
        var snapshot = Snapshot.of("TestLambdaEventSourceMappings::test_create_event_source_validation")
                .bind("<table-name>", TABLE).bind("<stream-name>", STREAM_LABEL);
        create(lambda, fixtureRequest(name));

        snapshot.match("no_starting_position", error(() -> lambda.createEventSourceMapping(r -> r
                .functionName(name).eventSourceArn(DDB_STREAM))));
        snapshot.match("invalid_starting_position", error(() -> lambda.createEventSourceMapping(r -> r
                .functionName(name).eventSourceArn(DDB_STREAM).startingPosition("invalid"))));
        snapshot.match("incompatible_starting_position", error(() -> lambda.createEventSourceMapping(r -> r
                .functionName(name).eventSourceArn(DDB_STREAM).startingPosition(EventSourcePosition.AT_TIMESTAMP)
                .startingPositionTimestamp(java.time.Instant.now()))));
    }

    @Test
    void kinesisValidation_answersLikeAws() {
        String name = name("fn-esm");
        var snapshot = Snapshot.of("TestLambdaEventSourceMappings::test_create_event_source_validation_kinesis");
        create(lambda, fixtureRequest(name));

        snapshot.match("no_starting_position", error(() -> lambda.createEventSourceMapping(r -> r
                .functionName(name).eventSourceArn(KINESIS))));
        snapshot.match("invalid_starting_position", error(() -> lambda.createEventSourceMapping(r -> r
                .functionName(name).eventSourceArn(KINESIS).startingPosition("invalid"))));
    }

    @Test
    void emptyFilterCriteria_answersStreamDefaultsLikeAws() {
        String name = name("fn-esm");
        var snapshot = Snapshot.of("TestLambdaEventSourceMappings::test_create_event_filter_criteria_validation")
                .bind("<table-name>", TABLE).bind("<resource:1>", STREAM_LABEL).bind("<resource:3>", name);
        create(lambda, fixtureRequest(name));

        var created = lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(DDB_STREAM)
                .startingPosition(EventSourcePosition.LATEST).filterCriteria(f -> f.filters(List.of())));
        snapshot.bind("<resource:2>", created.uuid());
        snapshot.match("response-with-empty-filters", created);
    }

    @Test
    void selfManagedKafka_answersLikeAws() {
        String name = name("fn-esm");
        var snapshot = Snapshot.of("TestLambdaEventSourceMappings::test_create_event_source_self_managed")
                .bind("<resource:1>", name).bind("<resource:2>", "kafka-secret");
        create(lambda, fixtureRequest(name));
        var access = software.amazon.awssdk.services.lambda.model.SourceAccessConfiguration.builder()
                .type("BASIC_AUTH").uri(SECRET).build();

        snapshot.match("missing-source-access-configuration", error(() -> lambda.createEventSourceMapping(r -> r
                .functionName(name).topics("topic").startingPosition(EventSourcePosition.TRIM_HORIZON)
                .selfManagedEventSource(s -> s.endpointsWithStrings(Map.of("KAFKA_BOOTSTRAP_SERVERS", List.of("kafka:1000")))))));
        var first = lambda.createEventSourceMapping(r -> r.functionName(name).topics("topic")
                .startingPosition(EventSourcePosition.TRIM_HORIZON).sourceAccessConfigurations(access)
                .selfManagedEventSource(s -> s.endpointsWithStrings(Map.of("KAFKA_BOOTSTRAP_SERVERS", List.of("kafka:1000")))));
        snapshot.bind("<uuid:1>", first.uuid());
        snapshot.match("event-source-mapping-default", first);
        snapshot.match("duplicate-source", error(() -> lambda.createEventSourceMapping(r -> r.functionName(name)
                .topics("topic").startingPosition(EventSourcePosition.TRIM_HORIZON).sourceAccessConfigurations(access)
                .selfManagedEventSource(s -> s.endpointsWithStrings(Map.of("KAFKA_BOOTSTRAP_SERVERS", List.of("kafka:1000")))))));
        var second = lambda.createEventSourceMapping(r -> r.functionName(name).topics("topic_2").batchSize(1)
                .startingPosition(EventSourcePosition.LATEST).sourceAccessConfigurations(access)
                .selfManagedKafkaEventSourceConfig(k -> k.consumerGroupId("random_id"))
                .selfManagedEventSource(s -> s.endpointsWithStrings(Map.of("KAFKA_BOOTSTRAP_SERVERS", List.of("kafka:1000")))));
        snapshot.bind("<uuid:2>", second.uuid());
        snapshot.match("event-source-mapping-values", second);
        snapshot.match("multiple-duplicate-source", error(() -> lambda.createEventSourceMapping(r -> r.functionName(name)
                .topics("topic").startingPosition(EventSourcePosition.TRIM_HORIZON).sourceAccessConfigurations(access)
                .selfManagedEventSource(s -> s.endpointsWithStrings(Map.of("KAFKA_BOOTSTRAP_SERVERS",
                        List.of("kafka:1000", "kafka:2000")))))));
    }

    @Test
    void tagsOnAMapping_addOverwriteAndRemoveLikeAws() {
        String name = name("fn-esm");
        var snapshot = Snapshot.of("TestLambdaTag::test_tag_lifecycle[event_source_mapping]");
        create(lambda, fixtureRequest(name));
        String arn = lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(QUEUE))
                .eventSourceMappingArn();

        snapshot.match("tag_single_response", lambda.tagResource(r -> r.resource(arn).tags(Map.of("A", "tag-a"))));
        snapshot.match("tag_single_response_listtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("tag_multiple_response", lambda.tagResource(r -> r.resource(arn)
                .tags(Map.of("B", "tag-b", "C", "tag-c"))));
        snapshot.match("tag_multiple_response_listtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("tag_overlap_response", lambda.tagResource(r -> r.resource(arn)
                .tags(Map.of("C", "tag-c-newsuffix", "D", "tag-d"))));
        snapshot.match("tag_overlap_response_listtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("untag_single_response", lambda.untagResource(r -> r.resource(arn).tagKeys("A")));
        snapshot.match("untag_single_response_listtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("untag_multiple_response", lambda.untagResource(r -> r.resource(arn).tagKeys("B", "C")));
        snapshot.match("untag_multiple_response_listtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("untag_nonexisting_response", lambda.untagResource(r -> r.resource(arn).tagKeys("F")));
        snapshot.match("untag_nonexisting_response_listtags", lambda.listTags(r -> r.resource(arn)));
        snapshot.match("untag_existing_and_nonexisting_response", lambda.untagResource(r -> r.resource(arn)
                .tagKeys("D", "F")));
        snapshot.match("untag_existing_and_nonexisting_response_listtags", lambda.listTags(r -> r.resource(arn)));
    }

    @Test
    void tagsGivenAtCreate_areListed() {
        String name = name("fn-esm");
        var snapshot = Snapshot.of("TestLambdaTag::test_create_tag_on_esm_create").bind("<custom-tag>", "tag-abc123");
        create(lambda, fixtureRequest(name));
        var created = lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(QUEUE)
                .tags(Map.of("testtag", "tag-abc123")));
        snapshot.match("list_tags_result", lambda.listTags(r -> r.resource(created.eventSourceMappingArn())));
    }

    @Test
    void tagging_anUnknownMapping_isNotFoundLikeAws() {
        String resource = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
        var snapshot = Snapshot.of("TestLambdaTag::test_tag_exceptions[event_source_mapping]")
                .bind("<resource-name>", resource);
        String arn = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":event-source-mapping:" + resource;
        snapshot.match("not_found_exception_tag", error(() -> lambda.tagResource(r -> r.resource(arn).tags(Map.of("A", "B")))));
        snapshot.match("not_found_exception_untag", error(() -> lambda.untagResource(r -> r.resource(arn).tagKeys("A"))));
        snapshot.match("not_found_exception_list", error(() -> lambda.listTags(r -> r.resource(arn))));
        snapshot.match("aliased_arn_exception", error(() -> lambda.listTags(r -> r.resource(arn + ":alias"))));
        snapshot.match("invalid_arn_exception", error(() -> lambda.listTags(r -> r.resource(
                "arn:aws:lambda:us-east-1:" + ACCOUNT + ":foobar:" + resource))));
    }

    @Test
    void functionNameVariations_keepTheQualifierLikeAws() {
        String name = name("fn-esm");
        String queueName = "esm-variations";
        String queue = "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + queueName;
        var snapshot = Snapshot.of("TestLambdaEventSourceMappings::test_function_name_variations")
                .bind("<resource:1>", queueName).bind("<resource:3>", name);
        create(lambda, fixtureRequest(name));
        lambda.publishVersion(r -> r.functionName(name));
        lambda.createAlias(r -> r.functionName(name).name("myalias").functionVersion("1"));
        String partial = ACCOUNT + ":function:" + name;

        var cases = new java.util.LinkedHashMap<String, String>();
        cases.put("name_only_create_esm", name);
        cases.put("partial_arn_latest_create_esm", partial + ":$LATEST");
        cases.put("partial_arn_version_create_esm", partial + ":1");
        cases.put("partial_arn_alias_create_esm", partial + ":myalias");
        cases.put("full_arn_latest_create_esm", arn(name));
        cases.put("full_arn_version_create_esm", arn(name) + ":1");
        cases.put("full_arn_alias_create_esm", arn(name) + ":myalias");
        cases.forEach((key, functionName) -> {
            var created = lambda.createEventSourceMapping(r -> r.functionName(functionName).eventSourceArn(queue));
            snapshot.match(key, created);
            awaitState(created.uuid(), "Enabled");
            lambda.deleteEventSourceMapping(r -> r.uuid(created.uuid()));
        });
    }

    // ---------------------------------------------------------------- Lamina's own checks

    @Test
    void sqsMapping_getsSqsDefaultsAndSettlesEnabled() {
        String name = name("fn-esm");
        create(lambda, fixtureRequest(name));

        var created = lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(QUEUE));
        assertThat(created.state()).isEqualTo("Creating");
        assertThat(created.batchSize()).isEqualTo(10);
        assertThat(created.maximumBatchingWindowInSeconds()).isEqualTo(0);
        assertThat(created.stateTransitionReason()).isEqualTo("USER_INITIATED");
        assertThat(created.functionArn()).isEqualTo(arn(name));
        assertThat(created.eventSourceMappingArn())
                .isEqualTo("arn:aws:lambda:us-east-1:" + ACCOUNT + ":event-source-mapping:" + created.uuid());
        assertThat(created.startingPosition()).isNull();
        assertThat(created.maximumRetryAttempts()).isNull();
        assertThat(created.lastProcessingResult()).isNull();
        assertThat(awaitState(created.uuid(), "Enabled").batchSize()).isEqualTo(10);
    }

    @Test
    void sqsBatchAboveTen_needsABatchingWindow() {
        String name = name("fn-esm");
        create(lambda, fixtureRequest(name));

        var e = error(() -> lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(QUEUE).batchSize(11)));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException");
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");

        var windowed = lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(QUEUE)
                .batchSize(10_000).maximumBatchingWindowInSeconds(5));
        assertThat(windowed.batchSize()).isEqualTo(10_000);
        assertThat(windowed.maximumBatchingWindowInSeconds()).isEqualTo(5);
    }

    @Test
    void kafkaAndMqMappings_defaultToBatchesOfOneHundred() {
        String name = name("fn-esm");
        create(lambda, fixtureRequest(name));

        var msk = lambda.createEventSourceMapping(r -> r.functionName(name).topics("orders")
                .eventSourceArn("arn:aws:kafka:us-east-1:" + ACCOUNT + ":cluster/c1/abc")
                .startingPosition(EventSourcePosition.LATEST));
        assertThat(msk.batchSize()).isEqualTo(100);
        assertThat(msk.amazonManagedKafkaEventSourceConfig().consumerGroupId()).isEqualTo(msk.uuid());
        assertThat(msk.topics()).containsExactly("orders");

        var mq = lambda.createEventSourceMapping(r -> r.functionName(name).queues("jobs")
                .eventSourceArn("arn:aws:mq:us-east-1:" + ACCOUNT + ":broker:b1:b-1234")
                .sourceAccessConfigurations(a -> a.type("BASIC_AUTH").uri(SECRET)));
        assertThat(mq.batchSize()).isEqualTo(100);
        assertThat(mq.queues()).containsExactly("jobs");
        assertThat(mq.startingPosition()).isNull();

        var kinesis = lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(KINESIS)
                .startingPosition(EventSourcePosition.TRIM_HORIZON));
        assertThat(kinesis.batchSize()).isEqualTo(100);
        assertThat(kinesis.parallelizationFactor()).isEqualTo(1);
        assertThat(kinesis.maximumRetryAttempts()).isEqualTo(-1);
        assertThat(kinesis.stateTransitionReason()).isEqualTo("User action");
    }

    @Test
    void createdDisabled_settlesDisabled_andUpdateTogglesThroughEnablingAndDisabling() {
        String name = name("fn-esm");
        create(lambda, fixtureRequest(name));

        var created = lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(QUEUE).enabled(false));
        assertThat(created.state()).isEqualTo("Creating");
        awaitState(created.uuid(), "Disabled");

        var enabling = lambda.updateEventSourceMapping(r -> r.uuid(created.uuid()).enabled(true));
        assertThat(enabling.state()).isEqualTo("Enabling");
        awaitState(created.uuid(), "Enabled");

        var disabling = lambda.updateEventSourceMapping(r -> r.uuid(created.uuid()).enabled(false));
        assertThat(disabling.state()).isEqualTo("Disabling");
        awaitState(created.uuid(), "Disabled");

        var updating = lambda.updateEventSourceMapping(r -> r.uuid(created.uuid()).batchSize(5));
        assertThat(updating.state()).isEqualTo("Updating");
        assertThat(updating.batchSize()).isEqualTo(5);
        assertThat(awaitState(created.uuid(), "Disabled").batchSize()).isEqualTo(5);
    }

    @Test
    void aliasQualifiedFunction_keepsItsQualifiedArn() {
        String name = name("fn-esm");
        create(lambda, fixtureRequest(name));
        lambda.publishVersion(r -> r.functionName(name));
        lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("1"));

        var onAlias = lambda.createEventSourceMapping(r -> r.functionName(name + ":live").eventSourceArn(QUEUE));
        var onVersion = lambda.createEventSourceMapping(r -> r.functionName(arn(name) + ":1").eventSourceArn(QUEUE));
        assertThat(onAlias.functionArn()).isEqualTo(arn(name) + ":live");
        assertThat(onVersion.functionArn()).isEqualTo(arn(name) + ":1");

        var e = error(() -> lambda.createEventSourceMapping(r -> r.functionName(name + ":nope").eventSourceArn(QUEUE)));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Function does not exist");
    }

    @Test
    void list_filtersBySourceAndFunction_andPagesWithMarker() {
        String name = name("fn-esm");
        String other = name("fn-esm");
        create(lambda, fixtureRequest(name));
        create(lambda, fixtureRequest(other));
        String q1 = QUEUE + "-list-1";
        String q2 = QUEUE + "-list-2";
        var a = lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(q1)).uuid();
        var b = lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(q2)).uuid();
        var c = lambda.createEventSourceMapping(r -> r.functionName(other).eventSourceArn(q1)).uuid();

        assertThat(lambda.listEventSourceMappings(r -> r.functionName(name)).eventSourceMappings())
                .extracting(EventSourceMappingConfiguration::uuid).containsExactlyInAnyOrder(a, b);
        assertThat(lambda.listEventSourceMappings(r -> r.eventSourceArn(q1)).eventSourceMappings())
                .extracting(EventSourceMappingConfiguration::uuid).containsExactlyInAnyOrder(a, c);
        assertThat(lambda.listEventSourceMappings(r -> r.eventSourceArn(q1).functionName(arn(other))).eventSourceMappings())
                .extracting(EventSourceMappingConfiguration::uuid).containsExactly(c);

        var first = lambda.listEventSourceMappings(r -> r.functionName(name).maxItems(1));
        assertThat(first.eventSourceMappings()).hasSize(1);
        assertThat(first.nextMarker()).isNotNull();
        var rest = lambda.listEventSourceMappings(r -> r.functionName(name).marker(first.nextMarker()).maxItems(1));
        assertThat(rest.eventSourceMappings()).hasSize(1);
        assertThat(rest.nextMarker()).isNull();
        assertThat(List.of(first.eventSourceMappings().get(0).uuid(), rest.eventSourceMappings().get(0).uuid()))
                .containsExactlyInAnyOrder(a, b);
    }

    @Test
    void invalidFilterPattern_isRefusedAtCreateAndUpdate_withLambdasMessage() {
        String name = name("esm-filter-fn");
        create(lambda, fixtureRequest(name));
        var created = error(() -> lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(QUEUE)
                .filterCriteria(f -> f.filters(x -> x.pattern("{\"body\":{\"a\":1}}")))));
        assertThat(created.statusCode()).isEqualTo(400);
        assertThat(created.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException");
        assertThat(created.awsErrorDetails().errorMessage()).isEqualTo("Invalid filter pattern definition.");

        String uuid = lambda.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(QUEUE)
                .filterCriteria(f -> f.filters(x -> x.pattern("{\"body\":{\"a\":[1]}}")))).uuid();
        awaitState(uuid, "Enabled");
        var updated = error(() -> lambda.updateEventSourceMapping(r -> r.uuid(uuid)
                .filterCriteria(f -> f.filters(x -> x.pattern("not json")))));
        assertThat(updated.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException");
        assertThat(updated.awsErrorDetails().errorMessage()).isEqualTo("Invalid filter pattern definition.");
        assertThat(lambda.getEventSourceMapping(r -> r.uuid(uuid)).filterCriteria().filters())
                .extracting(f -> f.pattern()).containsExactly("{\"body\":{\"a\":[1]}}");
    }

    @Test
    void mappings_surviveARestart() {
        String name = "esm-persistent-fn";
        String uuid;
        java.nio.file.Path dataDir;
        try (LaminaFixture first = ApiTestSupport.start()) {
            dataDir = first.dataDir();
            LambdaClient l = first.lambda();
            create(l, fixtureRequest(name));
            uuid = l.createEventSourceMapping(r -> r.functionName(name).eventSourceArn(QUEUE).batchSize(7)
                    .enabled(false).filterCriteria(f -> f.filters(x -> x.pattern("{\"body\":{\"a\":[1]}}")))).uuid();
        }
        try (LaminaFixture second = ApiTestSupport.startOn(dataDir)) {
            LambdaClient l = second.lambda();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            GetEventSourceMappingResponse got = l.getEventSourceMapping(r -> r.uuid(uuid));
            while (!got.state().equals("Disabled") && System.nanoTime() < deadline) {
                sleep(20);
                got = l.getEventSourceMapping(r -> r.uuid(uuid));
            }
            assertThat(got.state()).isEqualTo("Disabled");
            assertThat(got.batchSize()).isEqualTo(7);
            assertThat(got.functionArn()).isEqualTo(arn(name));
            assertThat(got.filterCriteria().filters()).extracting(f -> f.pattern())
                    .containsExactly("{\"body\":{\"a\":[1]}}");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static GetEventSourceMappingResponse awaitState(String uuid, String state) {
        return io.lamina.it.Waits.awaitMappingState(lambda, uuid, state);
    }

    private static void awaitGone(String uuid) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                assertThat(lambda.getEventSourceMapping(r -> r.uuid(uuid)).state()).isEqualTo("Deleting");
            } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The resource you requested does not exist.");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(uuid + " was not deleted");
            }
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
