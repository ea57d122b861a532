package io.lamina.core.mappings;

import io.lamina.core.errors.ErrorType;
import io.lamina.core.testing.NoFunctionStore;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.Arns;
import io.lamina.core.function.FunctionRegistry;
import io.lamina.core.function.FunctionSpec;
import io.lamina.core.store.CodeStore;
import io.lamina.core.store.MappingStore;
import io.lamina.core.testing.Zips;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MappingRegistry where HTTP cannot hold a state still: background settling runs only when a test runs it. */
class MappingRegistryTest {
    static final Arns ARNS = new Arns("us-east-1", "123456789012");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09.123Z"), ZoneOffset.UTC);
    static final String QUEUE = "arn:aws:sqs:us-east-1:123456789012:q";

    @TempDir
    Path dir;
    ManualExecutor background;
    MappingStore store;
    FunctionRegistry functions;
    MappingRegistry registry;
    List<String> heard;

    @BeforeEach
    void setUp() {
        background = new ManualExecutor();
        store = MappingStore.inMemory();
        functions = new FunctionRegistry(new NoFunctionStore(), new CodeStore(dir.resolve("code")), ARNS, CLOCK,
                background, runtime -> Optional.empty(), new FunctionRegistry.ConcurrencyPolicy(1000, 100));
        functions.create("fn", new FunctionSpec(Optional.of("python3.12"), Optional.of("handler.handler"),
                        Optional.of("arn:aws:iam::123456789012:role/r"), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty()),
                Zips.of(Map.of("handler.py", "def handler(e, c):\n    return e\n")), false, Map.of());
        background.runAll();
        registry = newRegistry();
    }

    private MappingRegistry newRegistry() {
        var r = new MappingRegistry(store, functions, CLOCK, background, Duration.ZERO);
        heard = new ArrayList<>();
        r.addListener(new MappingListener() {
            @Override
            public void stateChanged(EventSourceMapping m) {
                heard.add(m.uuid() + " " + m.state());
            }

            @Override
            public void deleted(EventSourceMapping m) {
                heard.add(m.uuid() + " deleted");
            }
        });
        return r;
    }

    private static MappingChange sqs(Optional<Boolean> enabled) {
        return change(Optional.of("fn"), Optional.of(QUEUE), Optional.empty(), enabled);
    }

    private static MappingChange change(Optional<String> fn, Optional<String> arn, Optional<Integer> batch,
                                        Optional<Boolean> enabled) {
        return new MappingChange(fn, arn, Optional.empty(), batch, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), enabled, Optional.of(false));
    }

    @Test
    void create_answersCreating_andListenersHearEnabledOnceSettled() {
        var m = registry.create(sqs(Optional.empty()), Map.of());
        assertThat(m.state()).isEqualTo(MappingState.Creating);
        assertThat(registry.get(m.uuid()).state()).isEqualTo(MappingState.Creating);
        assertThat(heard).isEmpty();

        background.runAll();
        assertThat(registry.get(m.uuid()).state()).isEqualTo(MappingState.Enabled);
        assertThat(heard).containsExactly(m.uuid() + " Enabled");
    }

    @Test
    void updateOrDeleteWhileCreating_isResourceInUse() {
        var m = registry.create(sqs(Optional.empty()), Map.of());
        assertThatThrownBy(() -> registry.update(m.uuid(), change(Optional.empty(), Optional.empty(), Optional.of(5),
                Optional.empty())))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.ResourceInUseException);
                    assertThat(e.getMessage()).isEqualTo(MappingRegistry.IN_USE);
                });
        // AWS lets a mapping being created be deleted; one being updated not.
        background.runAll();
        registry.update(m.uuid(), change(Optional.empty(), Optional.empty(), Optional.of(5), Optional.empty()));
        assertThatThrownBy(() -> registry.delete(m.uuid()))
                .isInstanceOfSatisfying(LambdaException.class,
                        e -> assertThat(e.type()).isEqualTo(ErrorType.ResourceInUseException));
        background.runAll();
        assertThat(registry.get(m.uuid()).batchSize()).isEqualTo(5);
        assertThat(registry.get(m.uuid()).state()).isEqualTo(MappingState.Enabled);
    }

    @Test
    void delete_answersDeleting_thenTheMappingIsGone() {
        var m = registry.create(sqs(Optional.of(false)), Map.of());
        background.runAll();
        assertThat(registry.get(m.uuid()).state()).isEqualTo(MappingState.Disabled);

        assertThat(registry.delete(m.uuid()).state()).isEqualTo(MappingState.Deleting);
        assertThat(store.loadAll()).extracting(EventSourceMapping::state).containsExactly(MappingState.Deleting);
        background.runAll();
        assertThatThrownBy(() -> registry.get(m.uuid()))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.ResourceNotFoundException);
                    assertThat(e.getMessage()).isEqualTo("The resource you requested does not exist.");
                });
        assertThat(store.loadAll()).isEmpty();
        assertThat(heard).containsExactly(m.uuid() + " Disabled", m.uuid() + " deleted");
    }

    @Test
    void mappingLeftInTransition_settlesAfterRestart() {
        var enabled = registry.create(sqs(Optional.empty()), Map.of());
        var disabled = registry.create(sqs(Optional.of(false)), Map.of());
        var deleting = registry.create(sqs(Optional.empty()), Map.of());
        background.drop(); // the process stops before any of them settled
        registry.delete(deleting.uuid());
        background.drop();

        registry = newRegistry();
        background.runAll();
        assertThat(registry.get(enabled.uuid()).state()).isEqualTo(MappingState.Enabled);
        assertThat(registry.get(disabled.uuid()).state()).isEqualTo(MappingState.Disabled);
        assertThat(registry.all()).extracting(EventSourceMapping::uuid).doesNotContain(deleting.uuid());
    }

    @Test
    void unknownFunction_isAwsInvalidParameter() {
        assertThatThrownBy(() -> registry.create(change(Optional.of("nope"), Optional.of(QUEUE), Optional.empty(),
                Optional.empty()), Map.of()))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.InvalidParameterValueException);
                    assertThat(e.getMessage()).isEqualTo("Function does not exist");
                });
        assertThat(registry.all()).isEmpty();
    }

    @Test
    void fifoQueue_takesAtMostTenPerBatchAndNoWindow() {
        String fifo = "arn:aws:sqs:us-east-1:123456789012:q.fifo";
        assertThatThrownBy(() -> registry.create(change(Optional.of("fn"), Optional.of(fifo), Optional.of(11),
                Optional.empty()), Map.of()))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.InvalidParameterValueException);
                    assertThat(e.getMessage()).isEqualTo("BatchSize must be between 1 and 10 for an Amazon SQS FIFO queue.");
                });
        var m = registry.create(change(Optional.of("fn"), Optional.of(fifo), Optional.of(10), Optional.empty()), Map.of());
        assertThat(m.fifoQueue()).isTrue();
        assertThat(m.batchSize()).isEqualTo(10);
    }

    @Test
    void batchingWindow_defaultsToZeroForSqsAnd500MillisForKafka() {
        var sqs = registry.create(sqs(Optional.empty()), Map.of());
        assertThat(sqs.batchingWindow()).isEqualTo(Duration.ZERO);
        var msk = registry.create(new MappingChange(Optional.of("fn"),
                Optional.of("arn:aws:kafka:us-east-1:123456789012:cluster/c/1"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("LATEST"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(List.of("t")), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(false)), Map.of());
        assertThat(msk.batchingWindow()).isEqualTo(Duration.ofMillis(500));
        assertThat(msk.maximumBatchingWindowInSeconds()).isEmpty();
        assertThat(msk.batchSize()).isEqualTo(100);
        assertThat(msk.consumerGroupId()).contains(msk.uuid());
    }

    @Test
    void stopOnError_disablesThroughDisabling_withTheReason_andListenersHearDisabled() {
        var m = registry.create(sqs(Optional.empty()), Map.of());
        background.runAll();
        heard.clear();

        assertThat(registry.stopOnError(m.uuid(), StopReason.EVENT_SOURCE_AUTHN_ERROR)).isTrue();
        var stopping = registry.get(m.uuid());
        assertThat(stopping.state()).isEqualTo(MappingState.Disabling);
        assertThat(stopping.enabled()).isFalse();
        assertThat(stopping.stateTransitionReason()).isEqualTo("EVENT_SOURCE_AUTHN_ERROR");
        assertThat(heard).isEmpty();

        background.runAll();
        var stopped = registry.get(m.uuid());
        assertThat(stopped.state()).isEqualTo(MappingState.Disabled);
        assertThat(stopped.stateTransitionReason()).isEqualTo("EVENT_SOURCE_AUTHN_ERROR");
        assertThat(heard).containsExactly(m.uuid() + " Disabled");
        assertThat(store.loadAll()).singleElement().satisfies(saved -> {
            assertThat(saved.state()).isEqualTo(MappingState.Disabled);
            assertThat(saved.enabled()).isFalse();
            assertThat(saved.stateTransitionReason()).isEqualTo("EVENT_SOURCE_AUTHN_ERROR");
        });
    }

    @Test
    void mappingStoppedOnError_staysDisabledAfterRestart_evenIfStoppedBeforeItSettled() {
        var settled = registry.create(sqs(Optional.empty()), Map.of());
        var unsettled = registry.create(sqs(Optional.empty()), Map.of());
        background.runAll();
        registry.stopOnError(settled.uuid(), StopReason.EVENT_SOURCE_AUTHZ_ERROR);
        background.runAll();
        registry.stopOnError(unsettled.uuid(), StopReason.ESM_CONFIG_NOT_VALID);
        background.drop(); // the process stops while the mapping is Disabling

        registry = newRegistry();
        background.runAll();
        assertThat(registry.get(settled.uuid())).satisfies(m -> {
            assertThat(m.state()).isEqualTo(MappingState.Disabled);
            assertThat(m.stateTransitionReason()).isEqualTo("EVENT_SOURCE_AUTHZ_ERROR");
        });
        assertThat(registry.get(unsettled.uuid())).satisfies(m -> {
            assertThat(m.state()).isEqualTo(MappingState.Disabled);
            assertThat(m.enabled()).isFalse();
            assertThat(m.stateTransitionReason()).isEqualTo("ESM_CONFIG_NOT_VALID");
        });
        assertThat(heard).containsExactly(unsettled.uuid() + " Disabled");
    }

    @Test
    void enablingAMappingStoppedOnError_startsItAgain_asTheUsersChange() {
        var m = registry.create(sqs(Optional.empty()), Map.of());
        background.runAll();
        registry.stopOnError(m.uuid(), StopReason.EVENT_SOURCE_AUTHN_ERROR);
        background.runAll();
        heard.clear();

        var enabling = registry.update(m.uuid(),
                change(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(true)));
        assertThat(enabling.state()).isEqualTo(MappingState.Enabling);
        assertThat(enabling.stateTransitionReason()).isEqualTo("USER_INITIATED");
        background.runAll();
        assertThat(registry.get(m.uuid()).state()).isEqualTo(MappingState.Enabled);
        assertThat(registry.get(m.uuid()).enabled()).isTrue();
        assertThat(heard).containsExactly(m.uuid() + " Enabled");
    }

    @Test
    void stopOnError_leavesAMappingThatIsNotEnabledAlone() {
        var creating = registry.create(sqs(Optional.empty()), Map.of());
        assertThat(registry.stopOnError(creating.uuid(), StopReason.EVENT_SOURCE_AUTHN_ERROR)).isFalse();
        background.runAll();
        registry.update(creating.uuid(), change(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(false)));
        background.runAll();
        assertThat(registry.stopOnError(creating.uuid(), StopReason.EVENT_SOURCE_AUTHN_ERROR)).isFalse();
        assertThat(registry.get(creating.uuid()).stateTransitionReason()).isEqualTo("USER_INITIATED");
        assertThat(registry.stopOnError("no-such-uuid", StopReason.EVENT_SOURCE_AUTHN_ERROR)).isFalse();
    }

    /** Background work, run when the test says so. */
    static final class ManualExecutor implements Executor {
        private final ArrayDeque<Runnable> queue = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            queue.add(task);
        }

        void runAll() {
            Runnable next;
            while ((next = poll()) != null) {
                next.run();
            }
        }

        synchronized void drop() {
            queue.clear();
        }

        private synchronized Runnable poll() {
            return queue.poll();
        }
    }
}
