package io.lamina.core.mappings;

import io.lamina.core.errors.ErrorType;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.FunctionRef;
import io.lamina.core.function.FunctionRegistry;
import io.lamina.core.store.MappingStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * Event source mappings: AWS's validation and defaults per source kind, the state machine, and
 * durability. Create, Update and Delete answer in Creating / Updating (or Enabling, Disabling) /
 * Deleting; the mapping settles in the background, as AWS's does, and listeners hear of it then.
 */
public final class MappingRegistry {
    static final String NOT_FOUND = "The resource you requested does not exist.";
    /** Streams report "User action" (AWS's recorded answers); SQS, Kafka and MQ "USER_INITIATED". */
    static final String USER_INITIATED = "USER_INITIATED";
    static final String USER_ACTION = "User action";
    static final String NO_RECORDS = "No records processed";
    static final String IN_USE = "Cannot update the event source mapping because it is in use.";
    static final int MAX_BATCH_SIZE = 10_000;
    /** AWS's limit of tags per resource, as for functions. */
    static final int MAX_TAGS = 50;
    /** SQS without a batching window takes at most 10 messages per batch. */
    static final int SQS_MAX_BATCH_WITHOUT_WINDOW = 10;

    private final Map<String, EventSourceMapping> mappings = new ConcurrentHashMap<>();
    private final List<MappingListener> listeners = new CopyOnWriteArrayList<>();
    private final MappingStore store;
    private final FunctionRegistry functions;
    private final Clock clock;
    private final Executor background;
    private final Duration settleDelay;

    public MappingRegistry(MappingStore store, FunctionRegistry functions, Clock clock, Executor background,
                           Duration settleDelay) {
        this.store = store;
        this.functions = functions;
        this.clock = clock;
        this.background = background;
        this.settleDelay = settleDelay;
        for (EventSourceMapping m : store.loadAll()) {
            mappings.put(m.uuid(), m);
        }
        // A mapping a previous process left in a transitional state goes where that change was heading.
        for (EventSourceMapping m : List.copyOf(mappings.values())) {
            if (m.state().transitional()) {
                settle(m.uuid(), m.state());
            }
        }
    }

    /**
     * Checks a new mapping against its source, as AWS does at CreateEventSourceMapping (an SQS queue's
     * visibility timeout must not be shorter than the function's timeout). Throws a
     * {@link LambdaException} to refuse; a source it cannot reach is not its concern.
     */
    @FunctionalInterface
    public interface SourceCheck {
        void check(EventSourceMapping mapping, int functionTimeoutSeconds);
    }

    private volatile SourceCheck sourceCheck = (m, t) -> { };

    /** Set once at start-up, by whoever can reach the sources. */
    public void setSourceCheck(SourceCheck check) {
        this.sourceCheck = check;
    }

    public void addListener(MappingListener listener) {
        listeners.add(listener);
    }

    public List<EventSourceMapping> all() {
        return mappings.values().stream().sorted(Comparator.comparing(EventSourceMapping::uuid)).toList();
    }

    // ------------------------------------------------------------------ operations

    public synchronized EventSourceMapping create(MappingChange c, Map<String, String> tags) {
        SourceKind kind;
        if (c.eventSourceArn().isPresent()) {
            kind = SourceKind.ofArn(c.eventSourceArn().get()).orElseThrow(() ->
                    LambdaException.invalidParameter("Unrecognized event source."));
        } else if (c.kafkaBootstrapServers().filter(l -> !l.isEmpty()).isPresent()) {
            kind = SourceKind.SELF_MANAGED_KAFKA;
        } else {
            throw LambdaException.invalidParameter("Unrecognized event source.");
        }
        String functionArn = functionArn(c.functionName().orElseThrow());
        String uuid = UUID.randomUUID().toString();

        if (kind.positioned() && c.startingPosition().isEmpty()) {
            throw LambdaException.invalidParameter("1 validation error detected: Value null at 'startingPosition' "
                    + "failed to satisfy constraint: Member must not be null.");
        }
        // DynamoDB Streams cannot start at a timestamp (AWS's recorded answer).
        if (kind == SourceKind.DYNAMODB_STREAMS && c.startingPosition().filter("AT_TIMESTAMP"::equals).isPresent()) {
            throw LambdaException.invalidParameter("Unsupported starting position for arn type: " + c.eventSourceArn().get());
        }
        if ((kind == SourceKind.SQS || kind == SourceKind.MQ)
                && (c.onFailureDestination().isPresent() || c.destinationConfigGiven().orElse(false))) {
            throw LambdaException.invalidParameter("Unsupported DestinationConfig parameter for given event source mapping type.");
        }
        checkOnFailureDestination(kind, c.topics().orElse(List.of()), c.onFailureDestination());
        if (kind == SourceKind.SELF_MANAGED_KAFKA && c.sourceAccessConfigurations().filter(l -> !l.isEmpty()).isEmpty()) {
            throw LambdaException.invalidParameter("Required 'sourceAccessConfigurations' parameter is missing.");
        }
        if (kind == SourceKind.SELF_MANAGED_KAFKA) {
            rejectDuplicateKafka(functionArn, c);
        }
        validateFilters(kind, c.filterPatterns());
        boolean enabled = c.enabled().orElse(true);
        var m = new EventSourceMapping(uuid, functionArn, kind, c.eventSourceArn(),
                c.kafkaBootstrapServers().orElse(List.of()),
                c.batchSize().orElse(kind.defaultBatchSize()),
                window(kind, c.maximumBatchingWindowInSeconds()),
                c.startingPosition().filter(p -> kind.positioned()),
                c.startingPositionTimestamp(),
                c.filterPatterns().orElse(List.of()),
                c.onFailureDestination(),
                c.topics().orElse(List.of()),
                c.queues().orElse(List.of()),
                c.sourceAccessConfigurations().orElse(List.of()),
                kind.kafka() ? Optional.of(c.consumerGroupId().orElse(uuid)) : Optional.empty(),
                c.maximumConcurrency(),
                c.functionResponseTypes().orElse(List.of()),
                kind.stream() ? Optional.of(c.maximumRetryAttempts().orElse(-1)) : c.maximumRetryAttempts(),
                kind.stream() ? Optional.of(c.maximumRecordAgeInSeconds().orElse(-1)) : c.maximumRecordAgeInSeconds(),
                // Kafka mappings take BisectBatchOnFunctionError too (AWS's Kafka error handling controls).
                kind.stream() ? Optional.of(c.bisectBatchOnFunctionError().orElse(false))
                        : kind.kafka() ? c.bisectBatchOnFunctionError() : Optional.empty(),
                kind.stream() ? Optional.of(c.parallelizationFactor().orElse(1)) : Optional.empty(),
                kind.stream() ? Optional.of(c.tumblingWindowInSeconds().orElse(0)) : Optional.empty(),
                enabled, clock.millis(), MappingState.Creating,
                userReason(kind),
                NO_RECORDS,
                "arn:aws:lambda:" + functions.arns().region() + ":" + functions.arns().accountId()
                        + ":event-source-mapping:" + uuid,
                tags);
        checkBatch(m);
        sourceCheck.check(m, functions.configuration(FunctionRef.parse(functionArn, Optional.empty(), functions.arns())).timeout());
        save(m);
        settle(uuid, MappingState.Creating);
        return m;
    }

    /**
     * What an event source mapping's OnFailure may name: for streams an SQS queue, SNS topic or S3 bucket; for
     * Kafka also {@code kafka://<topic>} on the same cluster, never one of the mapping's own topics
     * (https://docs.aws.amazon.com/lambda/latest/api/API_OnFailure.html,
     * https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure-destination.html). The request's pattern is
     * checked before this; an empty destination removes it. AWS's exact messages for these refusals are not
     * published: these are Lamina's.
     */
    static void checkOnFailureDestination(SourceKind kind, List<String> topics, Optional<String> destination) {
        if (destination.isEmpty() || destination.get().isEmpty() || !(kind.stream() || kind.kafka())) {
            return;
        }
        String d = destination.get();
        if (d.startsWith("kafka://")) {
            if (!kind.kafka()) {
                throw LambdaException.invalidParameter("Unsupported DestinationConfig parameter for given event source "
                        + "mapping type: a kafka:// destination is for Kafka event sources only.");
            }
            if (topics.contains(d.substring("kafka://".length()))) {
                throw LambdaException.invalidParameter("The OnFailure destination topic " + d.substring("kafka://".length())
                        + " cannot be one of the event source mapping's topics.");
            }
            return;
        }
        String[] parts = d.split(":", 6);
        String service = parts.length == 6 ? parts[2] : "";
        if (!(service.equals("sqs") || service.equals("sns") || service.equals("s3"))) {
            throw LambdaException.invalidParameter("Unsupported DestinationConfig parameter for given event source "
                    + "mapping type: the OnFailure destination " + d + " is not an Amazon SQS queue, Amazon SNS topic, "
                    + "Amazon S3 bucket" + (kind.kafka() ? " or Kafka topic." : "."));
        }
    }

    public EventSourceMapping get(String uuid) {
        return Optional.ofNullable(mappings.get(uuid)).orElseThrow(() -> LambdaException.notFound(NOT_FOUND));
    }

    /** ListEventSourceMappings: all mappings, or those of one source and/or one function, by UUID. */
    public List<EventSourceMapping> list(Optional<String> eventSourceArn, Optional<String> functionName) {
        Optional<String> fnArn = functionName.map(this::functionArnForFilter);
        return all().stream()
                .filter(m -> eventSourceArn.isEmpty() || m.eventSourceArn().equals(eventSourceArn))
                .filter(m -> fnArn.isEmpty() || m.functionArn().equals(fnArn.get()))
                .toList();
    }

    public synchronized EventSourceMapping update(String uuid, MappingChange c) {
        EventSourceMapping cur = get(uuid);
        if (cur.state() != MappingState.Enabled && cur.state() != MappingState.Disabled) {
            throw new LambdaException(ErrorType.ResourceInUseException, IN_USE);
        }
        SourceKind kind = cur.kind();
        if ((kind == SourceKind.SQS || kind == SourceKind.MQ) && c.onFailureDestination().isPresent()) {
            throw LambdaException.invalidParameter("Unsupported DestinationConfig parameter for given event source mapping type.");
        }
        checkOnFailureDestination(kind, cur.topics(), c.onFailureDestination());
        validateFilters(kind, c.filterPatterns());
        boolean enabled = c.enabled().orElse(cur.enabled());
        // Only a change of Enabled shows as Enabling/Disabling; any other change as Updating.
        boolean onlyToggle = enabled != cur.enabled() && otherMembersUnchanged(c);
        MappingState next = onlyToggle ? (enabled ? MappingState.Enabling : MappingState.Disabling) : MappingState.Updating;
        var m = new EventSourceMapping(uuid,
                c.functionName().map(this::functionArn).orElse(cur.functionArn()),
                kind, cur.eventSourceArn(), cur.kafkaBootstrapServers(),
                c.batchSize().orElse(cur.batchSize()),
                c.maximumBatchingWindowInSeconds().isPresent() ? window(kind, c.maximumBatchingWindowInSeconds())
                        : cur.maximumBatchingWindowInSeconds(),
                cur.startingPosition(), cur.startingPositionTimestamp(),
                c.filterPatterns().orElse(cur.filterPatterns()),
                c.onFailureDestination().or(cur::onFailureDestination),
                cur.topics(), cur.queues(),
                c.sourceAccessConfigurations().orElse(cur.sourceAccessConfigurations()),
                cur.consumerGroupId(),
                c.maximumConcurrency().or(cur::maximumConcurrency),
                c.functionResponseTypes().orElse(cur.functionResponseTypes()),
                c.maximumRetryAttempts().or(cur::maximumRetryAttempts),
                c.maximumRecordAgeInSeconds().or(cur::maximumRecordAgeInSeconds),
                c.bisectBatchOnFunctionError().or(cur::bisectBatchOnFunctionError),
                c.parallelizationFactor().or(cur::parallelizationFactor),
                c.tumblingWindowInSeconds().or(cur::tumblingWindowInSeconds),
                enabled, clock.millis(), cur.state().moveTo(next),
                // The user made this change, which also ends a stop of Lambda's own (stopOnError).
                userReason(kind), cur.lastProcessingResult(), cur.eventSourceMappingArn(), cur.tags());
        checkBatch(m);
        save(m);
        settle(uuid, next);
        return m;
    }

    /** DeleteEventSourceMapping: answers the mapping in Deleting; it is gone shortly after. */
    public synchronized EventSourceMapping delete(String uuid) {
        EventSourceMapping cur = get(uuid);
        if (!cur.state().canMoveTo(MappingState.Deleting)) {
            throw new LambdaException(ErrorType.ResourceInUseException, IN_USE);
        }
        EventSourceMapping m = cur.withState(MappingState.Deleting);
        save(m);
        settle(uuid, MappingState.Deleting);
        return m;
    }

    /**
     * A poller's news of its last batch ({@code OK}, {@code PROBLEM: ...}); stored only when it changes, so
     * that steady traffic writes nothing.
     */
    public synchronized void recordProcessingResult(String uuid, String result) {
        EventSourceMapping cur = mappings.get(uuid);
        if (cur == null || cur.lastProcessingResult().equals(result) || cur.state() == MappingState.Deleting) {
            return;
        }
        save(cur.withLastProcessingResult(result));
    }

    /**
     * Lambda's own stop after an error its poller cannot get past without the user (bad credentials,
     * missing permissions, a configuration that cannot work): the mapping goes Disabling, then Disabled,
     * with Enabled false and {@code reason} as its StateTransitionReason, durably, so that a restarted
     * Lamina does not poll it either; listeners hear of Disabled and stop its poller. The user's
     * UpdateEventSourceMapping with Enabled true starts it again
     * (https://docs.aws.amazon.com/lambda/latest/dg/services-mq-errors.html). Only an Enabled mapping is
     * stopped: one the user is changing or has disabled meanwhile is theirs to settle. Returns whether it stopped.
     */
    public synchronized boolean stopOnError(String uuid, StopReason reason) {
        EventSourceMapping cur = mappings.get(uuid);
        if (cur == null || cur.state() != MappingState.Enabled) {
            return false;
        }
        save(cur.withStop(reason));
        settle(uuid, MappingState.Disabling);
        return true;
    }

    // ------------------------------------------------------------------ tags

    /** Whether TagResource / ListTags / UntagResource name a mapping rather than a function. */
    public static boolean isMappingArn(String resourceArn) {
        return resourceArn.contains(":event-source-mapping:");
    }

    /** TagResource on a mapping: adds or overwrites; the state is untouched (tags are not configuration). */
    public synchronized void tag(String resourceArn, Map<String, String> tags) {
        EventSourceMapping cur = byArn(resourceArn);
        var merged = new java.util.LinkedHashMap<>(cur.tags());
        merged.putAll(tags);
        if (merged.size() > MAX_TAGS) {
            throw LambdaException.invalidParameter("Number of tags exceeds resource tag limit.");
        }
        save(cur.withTags(merged));
    }

    public synchronized void untag(String resourceArn, List<String> keys) {
        EventSourceMapping cur = byArn(resourceArn);
        var left = new java.util.LinkedHashMap<>(cur.tags());
        keys.forEach(left::remove);
        save(cur.withTags(left));
    }

    public Map<String, String> tags(String resourceArn) {
        return byArn(resourceArn).tags();
    }

    private EventSourceMapping byArn(String resourceArn) {
        return mappings.values().stream().filter(m -> m.eventSourceMappingArn().equals(resourceArn)).findFirst()
                .orElseThrow(() -> LambdaException.notFound("Event source mapping not found: " + resourceArn));
    }

    // ------------------------------------------------------------------ state transitions

    private void settle(String uuid, MappingState from) {
        background.execute(() -> {
            if (!settleDelay.isZero()) {
                try {
                    Thread.sleep(settleDelay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            finish(uuid, from);
        });
    }

    /**
     * Moves a mapping out of {@code from} unless it was deleted or changed again meanwhile (that change
     * settles itself). Listeners are told after the registry's lock is released, so a poller reacting
     * to the news may call back into the registry.
     */
    private void finish(String uuid, MappingState from) {
        Runnable news;
        synchronized (this) {
            EventSourceMapping cur = mappings.get(uuid);
            if (cur == null || cur.state() != from) {
                return;
            }
            if (from == MappingState.Deleting) {
                store.delete(uuid);
                mappings.remove(uuid);
                news = () -> listeners.forEach(l -> l.deleted(cur));
            } else {
                EventSourceMapping next = cur.withState(from.settled(cur.enabled()));
                store.put(next);
                mappings.put(uuid, next);
                news = () -> listeners.forEach(l -> l.stateChanged(next));
            }
        }
        news.run();
    }

    // ------------------------------------------------------------------ helpers

    private void save(EventSourceMapping m) {
        store.put(m);
        mappings.put(m.uuid(), m);
    }

    /** The function a mapping invokes, as an ARN qualified exactly as the caller qualified it. */
    private String functionArn(String functionName) {
        try {
            FunctionRef ref = FunctionRef.parse(functionName, Optional.empty(), functions.arns());
            functions.configuration(ref);
            return functions.arnOf(ref);
        } catch (LambdaException e) {
            if (e.type() == ErrorType.ResourceNotFoundException) {
                throw LambdaException.invalidParameter("Function does not exist");
            }
            throw e;
        }
    }

    /** Patterns are compiled once here so that a bad one is refused now, as AWS does, not at the first poll. */
    private static void validateFilters(SourceKind kind, Optional<List<String>> patterns) {
        patterns.ifPresent(p -> io.lamina.core.sources.filter.RecordFilter.compile(kind.filterSource(), p));
    }

    private String functionArnForFilter(String functionName) {
        FunctionRef ref = FunctionRef.parse(functionName, Optional.empty(), functions.arns());
        return functions.arnOf(ref);
    }

    /** The StateTransitionReason of a change the user made. */
    private static String userReason(SourceKind kind) {
        return kind.stream() ? USER_ACTION : USER_INITIATED;
    }

    /** SQS and streams report a window (0 when unset); Kafka and MQ only when one was set. */
    private static Optional<Integer> window(SourceKind kind, Optional<Integer> given) {
        return kind == SourceKind.SQS || kind.stream() ? Optional.of(given.orElse(0)) : given;
    }

    private static void checkBatch(EventSourceMapping m) {
        if (m.batchSize() < 1 || m.batchSize() > MAX_BATCH_SIZE) {
            throw LambdaException.invalidParameter("BatchSize must be between 1 and " + MAX_BATCH_SIZE + ".");
        }
        // FIFO queues: at most 10 per batch and no batching window (AWS's SQS parameter page); the
        // messages are Lamina's, AWS's exact wording is not recorded.
        if (m.fifoQueue() && m.batchSize() > SQS_MAX_BATCH_WITHOUT_WINDOW) {
            throw LambdaException.invalidParameter("BatchSize must be between 1 and 10 for an Amazon SQS FIFO queue.");
        }
        if (m.fifoQueue() && m.maximumBatchingWindowInSeconds().orElse(0) > 0) {
            throw LambdaException.invalidParameter("Batching window is not supported for Amazon SQS FIFO queues.");
        }
        if (m.kind() == SourceKind.SQS && m.batchSize() > SQS_MAX_BATCH_WITHOUT_WINDOW
                && m.maximumBatchingWindowInSeconds().orElse(0) < 1) {
            throw LambdaException.invalidParameter("Maximum batch window in seconds must be greater than 0 if "
                    + "maximum batch size is greater than 10");
        }
    }

    private void rejectDuplicateKafka(String functionArn, MappingChange c) {
        List<String> servers = c.kafkaBootstrapServers().orElse(List.of());
        List<String> topics = c.topics().orElse(List.of());
        for (EventSourceMapping m : all()) {
            if (m.kind() == SourceKind.SELF_MANAGED_KAFKA && m.functionArn().equals(functionArn)
                    && m.topics().equals(topics) && m.kafkaBootstrapServers().stream().anyMatch(servers::contains)) {
                throw LambdaException.conflict("An event source mapping with event source (\"" + String.join(",", servers)
                        + "\"), function (\"" + functionArn + "\"), topics (\"" + String.join(",", topics)
                        + "\") already exists. Please update or delete the existing mapping with UUID " + m.uuid());
            }
        }
    }

    private static boolean otherMembersUnchanged(MappingChange c) {
        var others = new ArrayList<Optional<?>>(List.of(c.functionName(), c.batchSize(), c.maximumBatchingWindowInSeconds(),
                c.filterPatterns(), c.onFailureDestination(), c.sourceAccessConfigurations(), c.maximumConcurrency(),
                c.functionResponseTypes(), c.maximumRetryAttempts(), c.maximumRecordAgeInSeconds(),
                c.bisectBatchOnFunctionError(), c.parallelizationFactor(), c.tumblingWindowInSeconds()));
        return others.stream().allMatch(Optional::isEmpty);
    }
}
