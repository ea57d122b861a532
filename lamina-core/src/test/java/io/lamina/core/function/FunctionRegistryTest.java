package io.lamina.core.function;

import io.lamina.core.errors.ErrorType;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.RegistryFakes.InMemoryStore;
import io.lamina.core.function.RegistryFakes.ManualExecutor;
import io.lamina.core.function.RegistryFakes.RecordingListener;
import io.lamina.core.store.CodeStore;
import io.lamina.core.testing.Zips;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * FunctionRegistry's rules where going through HTTP is awkward: states while background work has not
 * run yet, restarts, old records, failures. Background work runs only when a test runs it.
 */
class FunctionRegistryTest {
    static final Arns ARNS = new Arns("us-east-1", "123456789012");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09.123Z"), ZoneOffset.UTC);
    static final byte[] ZIP = Zips.of(Map.of("handler.py", "def handler(e, c):\n    return e\n"));
    static final byte[] OTHER_ZIP = Zips.of(Map.of("handler.py", "def handler(e, c):\n    return 2\n"));

    @TempDir
    Path dir;
    InMemoryStore store;
    ManualExecutor background;
    CodeStore code;
    FunctionRegistry registry;
    RecordingListener listener;

    @BeforeEach
    void setUp() {
        store = new InMemoryStore();
        background = new ManualExecutor();
        code = new CodeStore(dir.resolve("code"));
        registry = newRegistry();
    }

    private FunctionRegistry newRegistry() {
        var r = new FunctionRegistry(store, code, ARNS, CLOCK, background, runtime -> Optional.empty(),
                new FunctionRegistry.ConcurrencyPolicy(1000, 100));
        listener = new RecordingListener();
        r.addListener(listener);
        return r;
    }

    private static FunctionRef ref(String name) {
        return new FunctionRef(name, Optional.empty());
    }

    private static FunctionRef ref(String name, String qualifier) {
        return new FunctionRef(name, Optional.of(qualifier));
    }

    private static FunctionSpec spec() {
        return new FunctionSpec(Optional.of("python3.12"), Optional.of("handler.handler"),
                Optional.of("arn:aws:iam::123456789012:role/r"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static FunctionSpec description(String d) {
        return new FunctionSpec(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(d), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    private FunctionVersion createActive(String name) {
        registry.create(name, spec(), ZIP, false, Map.of());
        background.runAll();
        return registry.configuration(ref(name));
    }

    private FunctionVersion publish(String name) {
        return registry.publishVersion(ref(name), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static LambdaException error(ThrowingCallable call) {
        try {
            call.call();
        } catch (LambdaException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError("expected a LambdaException, got " + t, t);
        }
        throw new AssertionError("expected a LambdaException");
    }

    private static void assertError(LambdaException e, ErrorType type, String message) {
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    // ---------------------------------------------------------------- states

    @Test
    void create_isPendingUntilTheCodeIsReady_thenActiveWithANewRevision() {
        FunctionVersion created = registry.create("fn", spec(), ZIP, false, Map.of());
        assertThat(created.state()).isEqualTo(FunctionState.Pending);
        assertThat(created.stateReason()).contains("The function is being created.");
        assertThat(created.stateReasonCode()).contains("Creating");
        assertThat(created.lastUpdateStatus()).isEmpty();
        assertThat(created.lastModified()).isEqualTo("2024-05-06T07:08:09.123+0000");
        assertThat(registry.configuration(ref("fn")).state()).isEqualTo(FunctionState.Pending);

        background.runAll();

        FunctionVersion active = registry.configuration(ref("fn"));
        assertThat(active.state()).isEqualTo(FunctionState.Active);
        assertThat(active.stateReason()).isEmpty();
        assertThat(active.lastUpdateStatus()).contains(LastUpdateStatus.Successful);
        assertThat(active.revisionId()).isNotEqualTo(created.revisionId());
        assertThat(active.lastModified()).isEqualTo(created.lastModified());
    }

    @Test
    void update_whilePending_conflicts() {
        registry.create("fn", spec(), ZIP, false, Map.of());
        assertError(error(() -> registry.updateConfiguration(ref("fn"), description("x"), Optional.empty())),
                ErrorType.ResourceConflictException,
                "The operation cannot be performed at this time. An update is in progress for resource: "
                        + "arn:aws:lambda:us-east-1:123456789012:function:fn");
    }

    @Test
    void updateCode_whileAnotherUpdateIsInProgress_conflicts_untilItFinishes() {
        createActive("fn");
        FunctionVersion first = registry.updateCode(ref("fn"), OTHER_ZIP, false, Optional.empty());
        assertThat(first.lastUpdateStatus()).contains(LastUpdateStatus.InProgress);
        assertThat(first.lastUpdateStatusReason()).contains("The function is being created.");
        assertThat(first.state()).isEqualTo(FunctionState.Active);

        LambdaException e = error(() -> registry.updateCode(ref("fn"), ZIP, false, Optional.empty()));
        assertThat(e.type()).isEqualTo(ErrorType.ResourceConflictException);
        assertThat(error(() -> registry.updateConfiguration(ref("fn"), description("x"), Optional.empty())).type())
                .isEqualTo(ErrorType.ResourceConflictException);
        assertThat(error(() -> publish("fn")).type()).isEqualTo(ErrorType.ResourceConflictException);

        background.runAll();
        assertThat(registry.updateConfiguration(ref("fn"), description("x"), Optional.empty()).description()).isEqualTo("x");
    }

    @Test
    void activation_ofASupersededFunction_changesNothing() {
        registry.create("fn", spec(), ZIP, false, Map.of());
        registry.delete(ref("fn"));
        registry.create("fn", spec(), OTHER_ZIP, false, Map.of());
        int writes = store.writes;
        background.runAll(); // the first activation finds another revision and leaves it to the second
        assertThat(store.writes).isEqualTo(writes + 1);
        assertThat(registry.configuration(ref("fn")).state()).isEqualTo(FunctionState.Active);
    }

    @Test
    void tagging_whileTheCodeIsBeingReadied_doesNotStopTheFunctionFromSettling() {
        registry.create("fn", spec(), ZIP, false, Map.of());
        registry.tag(ARNS.function("fn"), Map.of("a", "1"));
        background.runAll();
        assertThat(registry.configuration(ref("fn")).state()).isEqualTo(FunctionState.Active);

        registry.updateCode(ref("fn"), OTHER_ZIP, false, Optional.empty());
        registry.untag(ARNS.function("fn"), List.of("a"));
        registry.addPermission(ref("fn"), permission("s1", Optional.empty()));
        background.runAll();
        assertThat(registry.configuration(ref("fn")).lastUpdateStatus()).contains(LastUpdateStatus.Successful);
    }

    @Test
    void activation_whenTheCodeCannotBeUnpacked_failsTheFunction() throws IOException {
        registry.create("fn", spec(), ZIP, false, Map.of());
        FunctionVersion pending = registry.configuration(ref("fn"));
        try (Stream<Path> files = Files.list(dir.resolve("code"))) {
            for (Path p : files.toList()) {
                Files.delete(p); // the stored package vanished before it was unpacked
            }
        }
        background.runAll();
        FunctionVersion failed = registry.configuration(ref("fn"));
        assertThat(failed.state()).isEqualTo(FunctionState.Failed);
        assertThat(failed.stateReasonCode()).contains("InternalError");
        assertThat(failed.lastUpdateStatus()).contains(LastUpdateStatus.Failed);
        assertThat(failed.revisionId()).isNotEqualTo(pending.revisionId());
    }

    @Test
    void restart_finishesTransitionsThePreviousProcessLeftPending() {
        registry.create("fn", spec(), ZIP, true, Map.of());
        // "crash": the background work never ran; a new registry on the same store picks it up.
        var restartedExecutor = new ManualExecutor();
        background = restartedExecutor;
        registry = newRegistry();
        assertThat(registry.configuration(ref("fn")).state()).isEqualTo(FunctionState.Pending);
        assertThat(restartedExecutor.pending()).isEqualTo(1);
        restartedExecutor.runAll();
        assertThat(registry.configuration(ref("fn")).state()).isEqualTo(FunctionState.Active);
        assertThat(registry.configuration(ref("fn", "1")).state()).isEqualTo(FunctionState.Active);
    }

    // ---------------------------------------------------------------- versions

    @Test
    void createWithPublish_makesVersion1Pending_andActivationActivatesItWithANewRevision() {
        FunctionVersion v1 = registry.create("fn", spec(), ZIP, true, Map.of());
        assertThat(v1.version()).isEqualTo("1");
        assertThat(v1.state()).isEqualTo(FunctionState.Pending);
        background.runAll();
        FunctionVersion active = registry.configuration(ref("fn", "1"));
        assertThat(active.state()).isEqualTo(FunctionState.Active);
        assertThat(active.lastUpdateStatus()).contains(LastUpdateStatus.Successful);
        assertThat(active.revisionId()).isNotEqualTo(v1.revisionId());
        assertThat(publish("fn")).isEqualTo(active);
    }

    @Test
    void publish_withNothingChanged_returnsTheLastVersion_evenWithAnotherDescription() {
        createActive("fn");
        FunctionVersion v1 = publish("fn");
        FunctionVersion again = registry.publishVersion(ref("fn"), Optional.empty(), Optional.of("other"), Optional.empty());
        assertThat(again).isEqualTo(v1);
        assertThat(registry.listVersions(ref("fn"))).hasSize(2);
    }

    @Test
    void publish_afterAnyUpdate_createsTheNextVersion_andChangesTheLatestRevision() {
        createActive("fn");
        FunctionVersion v1 = registry.publishVersion(ref("fn"), Optional.empty(), Optional.of("first"), Optional.empty());
        assertThat(v1.description()).isEqualTo("first");
        assertThat(v1.state()).isEqualTo(FunctionState.Active);
        // The same description as $LATEST had: still an update, so still a new version.
        registry.updateConfiguration(ref("fn"), description(""), Optional.empty());
        background.runAll();
        String before = registry.configuration(ref("fn")).revisionId();
        FunctionVersion v2 = publish("fn");
        assertThat(v2.version()).isEqualTo("2");
        assertThat(registry.configuration(ref("fn")).revisionId()).isNotEqualTo(before);
    }

    @Test
    void versionNumbers_areNeverReused_acrossDeletesAndRestarts() {
        createActive("fn");
        publish("fn");
        registry.updateConfiguration(ref("fn"), description("2"), Optional.empty());
        background.runAll();
        assertThat(publish("fn").version()).isEqualTo("2");
        registry.delete(ref("fn", "2"));
        registry.delete(ref("fn", "1"));

        registry = newRegistry();
        registry.updateConfiguration(ref("fn"), description("3"), Optional.empty());
        background.runAll();
        assertThat(publish("fn").version()).isEqualTo("3");
        assertThat(registry.listVersions(ref("fn"))).extracting(FunctionVersion::version).containsExactly("$LATEST", "3");
    }

    @Test
    void updateCodeWithPublish_publishesThePendingNewCodeAtOnce() {
        createActive("fn");
        FunctionVersion v1 = registry.updateCode(ref("fn"), OTHER_ZIP, true, Optional.empty());
        assertThat(v1.version()).isEqualTo("1");
        assertThat(v1.state()).isEqualTo(FunctionState.Pending);
        assertThat(v1.lastUpdateStatus()).isEmpty();
        assertThat(v1.codeSha256()).isEqualTo(registry.configuration(ref("fn")).codeSha256());
        assertThat(registry.configuration(ref("fn")).lastUpdateStatus()).contains(LastUpdateStatus.InProgress);
        background.runAll();
        assertThat(registry.configuration(ref("fn", "1")).state()).isEqualTo(FunctionState.Active);
        assertThat(publish("fn").version()).isEqualTo("1");
    }

    @Test
    void publish_ofARecordStoredBeforeConfigRevisions_comparesTheContent() throws IOException {
        createActive("fn");
        publish("fn");
        // Rewrite the stored document the way an older Lamina wrote it: no configRevision anywhere.
        var doc = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(store.documents.get("fn"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("latest")).remove("configRevision");
        doc.get("versions").forEach(v -> ((com.fasterxml.jackson.databind.node.ObjectNode) v).remove("configRevision"));
        assertThat(doc.toString()).doesNotContain("configRevision");
        store.documents.put("fn", doc.toString());
        registry = newRegistry();
        assertThat(publish("fn").version()).isEqualTo("1");
        registry.updateConfiguration(ref("fn"), description("changed"), Optional.empty());
        background.runAll();
        assertThat(publish("fn").version()).isEqualTo("2");
    }

    @Test
    void publish_withAWrongShaOrRevision_isRejected() {
        FunctionVersion latest = createActive("fn");
        assertError(error(() -> registry.publishVersion(ref("fn"), Optional.of("abc"), Optional.empty(), Optional.empty())),
                ErrorType.InvalidParameterValueException, "CodeSHA256 (abc) is different from current CodeSHA256 in $LATEST ("
                        + latest.codeSha256() + "). Please try again with the CodeSHA256 in $LATEST.");
        assertError(error(() -> registry.publishVersion(ref("fn"), Optional.empty(), Optional.empty(), Optional.of("old"))),
                ErrorType.PreconditionFailedException, FunctionRegistry.REVISION_MISMATCH);
    }

    // ---------------------------------------------------------------- deletes

    @Test
    void deleteVersion_usedByAnAliasRoutingWeight_conflicts() {
        createActive("fn");
        publish("fn");
        registry.updateConfiguration(ref("fn"), description("2"), Optional.empty());
        background.runAll();
        publish("fn");
        registry.createAlias(ref("fn"), "live", "2", "", Map.of("1", 0.5));
        assertError(error(() -> registry.delete(ref("fn", "1"))), ErrorType.ResourceConflictException,
                "Unable to delete version because the following aliases reference it: [live]");
    }

    @Test
    void deleteVersion_removesItsPolicy_andTellsListeners() {
        createActive("fn");
        publish("fn");
        registry.addPermission(ref("fn", "1"), permission("s1", Optional.empty()));
        registry.delete(ref("fn", "1"));
        assertThat(store.stored("fn").policies()).isEmpty();
        assertThat(listener.events).contains("versionDeleted fn:1");
    }

    @Test
    void deleteFunction_checksTheQualifierBeforeTheFunction() {
        assertError(error(() -> registry.delete(ref("missing", "$LATEST"))), ErrorType.InvalidParameterValueException,
                "$LATEST version cannot be deleted without deleting the function.");
        assertError(error(() -> registry.delete(ref("missing", "alias"))), ErrorType.InvalidParameterValueException,
                "Deletion of aliases is not currently supported.");
        assertError(error(() -> registry.delete(ref("missing", "3"))), ErrorType.ResourceNotFoundException,
                "Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing");
    }

    @Test
    void deleteFunction_removesItFromTheStore_andReleasesItsReservation() {
        createActive("fn");
        registry.putReservedConcurrency(ref("fn"), 5);
        registry.delete(ref("fn"));
        assertThat(store.documents).doesNotContainKey("fn");
        assertThat(registry.totalReservedConcurrency()).isZero();
        assertThat(listener.events).contains("functionDeleted fn", "reservedConcurrencyChanged fn none");
    }

    // ---------------------------------------------------------------- policies and tags

    private static FunctionRegistry.PermissionRequest permission(String sid, Optional<String> revision) {
        return new FunctionRegistry.PermissionRequest(sid, "lambda:InvokeFunction", "s3.amazonaws.com",
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), revision);
    }

    @Test
    void policyRevision_isTheResourcesUntilTheFirstStatement_thenThePolicysOwn() {
        FunctionVersion latest = createActive("fn");
        assertError(error(() -> registry.addPermission(ref("fn"), permission("s1", Optional.of("wrong")))),
                ErrorType.PreconditionFailedException, FunctionRegistry.POLICY_REVISION_MISMATCH);
        registry.addPermission(ref("fn"), permission("s1", Optional.of(latest.revisionId())));
        String policyRevision = registry.policy(ref("fn")).getValue();
        assertThat(registry.configuration(ref("fn")).revisionId()).isEqualTo(latest.revisionId());

        assertThat(error(() -> registry.addPermission(ref("fn"), permission("s2", Optional.of(latest.revisionId()))))
                .type()).isEqualTo(ErrorType.PreconditionFailedException);
        registry.addPermission(ref("fn"), permission("s2", Optional.of(policyRevision)));
        String second = registry.policy(ref("fn")).getValue();
        assertThat(second).isNotEqualTo(policyRevision);

        registry.removePermission(ref("fn"), "s1", Optional.of(second));
        registry.removePermission(ref("fn"), "s2", Optional.empty());
        assertError(error(() -> registry.policy(ref("fn"))), ErrorType.ResourceNotFoundException,
                "The resource you requested does not exist.");
        assertThat(store.stored("fn").policies()).isEmpty();
    }

    @Test
    void tags_changeTheLatestRevision_onlyWhenTheyChange() {
        createActive("fn");
        String arn = ARNS.function("fn");
        String r0 = registry.configuration(ref("fn")).revisionId();
        registry.tag(arn, Map.of("a", "1"));
        String r1 = registry.configuration(ref("fn")).revisionId();
        assertThat(r1).isNotEqualTo(r0);
        registry.tag(arn, Map.of("a", "1"));
        registry.untag(arn, List.of("nope"));
        assertThat(registry.configuration(ref("fn")).revisionId()).isEqualTo(r1);
        registry.untag(arn, List.of("a"));
        assertThat(registry.configuration(ref("fn")).revisionId()).isNotEqualTo(r1);
        assertThat(store.stored("fn").tags()).isEmpty();
    }

    @Test
    void tags_areLimitedTo50_counting_theOnesAlreadyThere() {
        createActive("fn");
        var many = new java.util.HashMap<String, String>();
        for (int i = 0; i < 50; i++) {
            many.put("k" + i, "v");
        }
        registry.tag(ARNS.function("fn"), many);
        assertError(error(() -> registry.tag(ARNS.function("fn"), Map.of("one-more", "v"))),
                ErrorType.InvalidParameterValueException, "Number of tags exceeds resource tag limit.");
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void reservedConcurrency_mayNotEatIntoTheUnreservedMinimum_acrossFunctions() {
        createActive("a");
        createActive("b");
        registry.putReservedConcurrency(ref("a"), 600);
        assertThat(registry.putReservedConcurrency(ref("b"), 300)).isEqualTo(300);
        assertError(error(() -> registry.putReservedConcurrency(ref("b"), 301)), ErrorType.InvalidParameterValueException,
                "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
                        + "below its minimum value of [100].");
        // Replacing a function's own reservation counts only the new value.
        assertThat(registry.putReservedConcurrency(ref("a"), 600)).isEqualTo(600);
        assertThat(registry.totalReservedConcurrency()).isEqualTo(900);
        assertThat(newRegistry().totalReservedConcurrency()).isEqualTo(900);
    }

    @Test
    void reservedConcurrency_onAQualifiedFunction_isRejected() {
        createActive("fn");
        assertError(error(() -> registry.putReservedConcurrency(ref("fn", "$LATEST"), 1)),
                ErrorType.InvalidParameterValueException, FunctionRegistry.ONLY_FUNCTIONS);
    }

    // ---------------------------------------------------------------- persistence

    @Test
    void everyWrite_reachesTheStore_soANewRegistrySeesTheSameFunctions() {
        createActive("fn");
        publish("fn");
        registry.createAlias(ref("fn"), "live", "1", "d", Map.of());
        registry.addPermission(ref("fn", "live"), permission("s1", Optional.empty()));
        registry.tag(ARNS.function("fn"), Map.of("team", "core"));
        registry.putReservedConcurrency(ref("fn"), 3);
        FunctionRecord before = registry.record("fn");

        FunctionRecord after = newRegistry().record("fn");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void listings_sortByName_andVersionsByNumber() {
        createActive("b");
        createActive("a");
        for (int i = 0; i < 11; i++) {
            registry.updateConfiguration(ref("a"), description("d" + i), Optional.empty());
            background.runAll();
            publish("a");
        }
        List<FunctionVersion> all = registry.list(true);
        assertThat(all.get(0).functionName()).isEqualTo("a");
        assertThat(all.stream().filter(v -> v.functionName().equals("a")).map(FunctionVersion::version).toList())
                .containsExactly("$LATEST", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
        assertThat(all.stream().map(FunctionRegistry::sortKey).toList().subList(0, 12)).isSorted();
        assertThat(all.getLast().functionName()).isEqualTo("b");
    }

    @Test
    void lastModified_comesFromTheInjectedClock() {
        createActive("fn");
        assertThat(registry.updateConfiguration(ref("fn"), description("x"), Optional.empty()).lastModified())
                .isEqualTo("2024-05-06T07:08:09.123+0000");
    }

    @Test
    void createWithATooLongName_orFromAnotherAccount_isRejected() {
        assertError(error(() -> FunctionRef.nameForCreate("a".repeat(65), ARNS)), ErrorType.InvalidParameterValueException,
                "1 validation error detected: Value '" + "a".repeat(65)
                        + "' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64");
        assertThat(FunctionRef.nameForCreate("arn:aws:lambda:us-east-1:123456789012:function:fn:3", ARNS)).isEqualTo("fn");
        LambdaException denied = error(() -> FunctionRef.nameForCreate("arn:aws:lambda:us-east-1:999999999999:function:fn", ARNS));
        assertThat(denied.type()).isEqualTo(ErrorType.AccessDeniedException);
        assertThat(denied.getMessage()).isNull();
        assertThatThrownBy(() -> FunctionRef.nameForCreate("arn:aws:lambda:eu-west-1:123456789012:function:fn", ARNS))
                .hasMessage("Functions from 'eu-west-1' are not reachable in this region ('us-east-1')");
    }

    // ---------------------------------------------------------------- event invoke configs and dead letters

    private static EventInvokeConfigChange retries(int n) {
        return new EventInvokeConfigChange(Optional.of(n), Optional.empty(), Optional.empty());
    }

    @Test
    void eventInvokeConfig_forTheAsyncWorker_isPerQualifier_andEmptyRatherThanAnError() {
        createActive("fn");
        publish("fn");
        registry.createAlias(ref("fn"), "live", "1", "", Map.of());
        registry.putEventInvokeConfig(ref("fn", "live"), retries(0));

        assertThat(registry.eventInvokeConfig("fn", "live").orElseThrow().retryAttempts()).isZero();
        assertThat(registry.eventInvokeConfig("fn", "live").orElseThrow().lastModifiedEpochMs())
                .isEqualTo(CLOCK.millis());
        // no fallback from the alias to its version or to $LATEST
        assertThat(registry.eventInvokeConfig("fn", "1")).isEmpty();
        assertThat(registry.eventInvokeConfig("fn", FunctionVersion.LATEST)).isEmpty();
        assertThat(registry.eventInvokeConfig("missing", FunctionVersion.LATEST)).isEmpty();
        assertThat(registry.eventInvokeConfig("fn", "no-such-alias")).isEmpty();
    }

    @Test
    void eventInvokeConfigs_andDeadLetterTargets_surviveARestart_andGoWithTheirAlias() {
        createActive("fn");
        registry.updateConfiguration(ref("fn"), new FunctionSpec(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("arn:aws:sqs:us-east-1:123456789012:dlq")),
                Optional.empty());
        background.runAll();
        publish("fn");
        registry.createAlias(ref("fn"), "live", "1", "", Map.of());
        registry.putEventInvokeConfig(ref("fn"), retries(1));
        registry.putEventInvokeConfig(ref("fn", "live"), retries(2));

        registry = newRegistry();
        assertThat(registry.eventInvokeConfig("fn", FunctionVersion.LATEST).orElseThrow().retryAttempts()).isEqualTo(1);
        assertThat(registry.eventInvokeConfig("fn", "live").orElseThrow().retryAttempts()).isEqualTo(2);
        assertThat(registry.configuration(ref("fn", "1")).deadLetterTargetArn())
                .contains("arn:aws:sqs:us-east-1:123456789012:dlq");

        registry.deleteAlias(ref("fn"), "live");
        assertThat(store.stored("fn").eventInvokeConfigs()).containsOnlyKeys(FunctionVersion.LATEST);
    }

    @Test
    void recordsStoredBeforeEventInvokeConfigsAndDeadLetters_stillLoad() throws IOException {
        createActive("fn");
        publish("fn");
        var doc = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(store.documents.get("fn"));
        doc.remove("eventInvokeConfigs");
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("latest")).remove("deadLetterTargetArn");
        doc.get("versions").forEach(v -> ((com.fasterxml.jackson.databind.node.ObjectNode) v).remove("deadLetterTargetArn"));
        assertThat(doc.toString()).doesNotContain("eventInvokeConfigs").doesNotContain("deadLetterTargetArn");
        store.documents.put("fn", doc.toString());

        registry = newRegistry();
        assertThat(registry.record("fn").eventInvokeConfigs()).isEmpty();
        assertThat(registry.configuration(ref("fn")).deadLetterTargetArn()).isEmpty();
        assertThat(registry.configuration(ref("fn", "1")).deadLetterTargetArn()).isEmpty();
        assertThat(registry.eventInvokeConfig("fn", FunctionVersion.LATEST)).isEmpty();
        registry.putEventInvokeConfig(ref("fn"), retries(0));
        assertThat(registry.eventInvokeConfig("fn", FunctionVersion.LATEST)).isPresent();
    }

    @Test
    void putAndUpdate_withNothingToSet_areRejectedBeforeTheFunctionIsLookedUp() {
        var nothing = new EventInvokeConfigChange(Optional.empty(), Optional.empty(), Optional.empty());
        assertError(error(() -> registry.putEventInvokeConfig(ref("missing"), nothing)),
                ErrorType.InvalidParameterValueException, FunctionRegistry.NO_SETTING);
        assertError(error(() -> registry.updateEventInvokeConfig(ref("missing"), nothing)),
                ErrorType.InvalidParameterValueException, FunctionRegistry.NO_SETTING);
    }
}
