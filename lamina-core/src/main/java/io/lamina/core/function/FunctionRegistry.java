package io.lamina.core.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.store.CodeStore;
import io.lamina.core.store.FunctionStore;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Functions, versions, aliases, policies, tags and reserved concurrency, with AWS Lambda's rules.
 * Reads are lock-free (immutable records in a map); each write takes the function's lock, writes
 * the store, then publishes the new record.
 */
public final class FunctionRegistry {
    public static final String UPDATE_IN_PROGRESS = "The operation cannot be performed at this time. An update is in progress for resource: ";
    static final String REVISION_MISMATCH = "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id";
    static final String POLICY_REVISION_MISMATCH = "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id";
    static final int MAX_TAGS = 50;
    static final int MAX_ENVIRONMENT_BYTES = 4096;
    static final int DEFAULT_MEMORY_MB = 128;
    static final int DEFAULT_TIMEOUT_SECONDS = 3;
    static final int DEFAULT_EPHEMERAL_STORAGE_MB = 512;
    /** AWS's StateReason / LastUpdateStatusReason while code is being made ready (also on updates). */
    static final String BEING_CREATED = "The function is being created.";
    static final String CREATING = "Creating";
    /** The service model's alias name pattern: not only digits. */
    static final Pattern ALIAS_NAME = Pattern.compile("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");
    static final Pattern VERSION_NUMBER = Pattern.compile("[0-9]{1,9}");

    private static final DateTimeFormatter LAST_MODIFIED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, FunctionRecord> functions = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final List<FunctionListener> listeners = new CopyOnWriteArrayList<>();
    private final FunctionStore store;
    private final CodeStore code;
    private final Arns arns;
    private final Clock clock;
    private final Executor background;
    private final RuntimeSupport runtimes;
    private final ConcurrencyPolicy concurrency;

    /** Account-level limits the registry checks reservations against. */
    public record ConcurrencyPolicy(int accountLimit, int minimumUnreserved) {
    }

    public FunctionRegistry(FunctionStore store, CodeStore code, Arns arns, Clock clock, Executor background,
                            RuntimeSupport runtimes, ConcurrencyPolicy concurrency) {
        this.store = store;
        this.code = code;
        this.arns = arns;
        this.clock = clock;
        this.background = background;
        this.runtimes = runtimes;
        this.concurrency = concurrency;
        for (FunctionRecord r : store.loadAll()) {
            functions.put(r.name(), r);
        }
        // Finish transitions a previous process started but did not complete.
        for (FunctionRecord r : functions.values()) {
            if (settling(r.latest())) {
                scheduleActivation(r.name(), r.latest().configRevision());
            }
        }
    }

    public void addListener(FunctionListener listener) {
        listeners.add(listener);
    }

    public Arns arns() {
        return arns;
    }

    // ---------------------------------------------------------------- functions

    /** CreateFunction. Returns the new {@code $LATEST} (or version 1 when {@code publish}). */
    public FunctionVersion create(String name, FunctionSpec spec, byte[] zip, boolean publish, Map<String, String> tags) {
        String runtime = spec.runtime().orElseThrow(() -> LambdaException.invalidParameter(
                "Runtime and Handler are mandatory parameters for functions created with deployment packages."));
        if (spec.handler().isEmpty()) {
            throw LambdaException.invalidParameter(
                    "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }
        Runtimes.check(runtime, runtimes);
        checkEnvironment(spec.environment());
        spec.deadLetterTargetArn().ifPresent(this::checkDeadLetterTarget);
        checkTags(tags);
        CodePackage pkg = code.put(zip);
        return withLock(name, () -> {
            if (functions.containsKey(name)) {
                throw LambdaException.conflict("Function already exist: " + name);
            }
            FunctionVersion latest = new FunctionVersion.Builder()
                    .functionName(name)
                    .version(FunctionVersion.LATEST)
                    .runtime(runtime)
                    .handler(spec.handler().get())
                    .role(spec.role().orElse(""))
                    .memorySize(spec.memorySize().orElse(DEFAULT_MEMORY_MB))
                    .timeout(spec.timeout().orElse(DEFAULT_TIMEOUT_SECONDS))
                    .description(spec.description().orElse(""))
                    .environment(spec.environment())
                    .architectures(spec.architectures().orElse(List.of("x86_64")))
                    .ephemeralStorageSize(spec.ephemeralStorageSize().orElse(DEFAULT_EPHEMERAL_STORAGE_MB))
                    .tracingMode(spec.tracingMode().orElse("PassThrough"))
                    .logFormat(spec.logFormat().orElse("Text"))
                    .logGroup(spec.logGroup().orElse("/aws/lambda/" + name))
                    .deadLetterTargetArn(spec.deadLetterTargetArn().filter(a -> !a.isEmpty()))
                    .code(pkg)
                    .revisionId(newRevision())
                    .configRevision(Optional.of(newRevision()))
                    .lastModified(now())
                    .state(FunctionState.Pending, Optional.of(BEING_CREATED), Optional.of(CREATING))
                    .lastUpdate(Optional.empty(), Optional.empty(), Optional.empty())
                    .build();
            FunctionRecord record = FunctionRecord.of(latest, tags);
            FunctionVersion result = latest;
            if (publish) {
                FunctionVersion v1 = newVersion(latest, 1, Optional.empty());
                record = record.withVersion(1, v1);
                result = v1;
            }
            save(record);
            scheduleActivation(name, latest.configRevision());
            return result;
        });
    }

    /** GetFunction / GetFunctionConfiguration: the version a reference names (aliases resolve to their version). */
    public FunctionVersion configuration(FunctionRef ref) {
        FunctionRecord r = require(ref.name(), ref.qualifier());
        return ref.qualifier().map(q -> resolveQualifier(r, q)).orElse(r.latest());
    }

    /** The ARN {@code GetFunction} reports for a reference: qualified exactly as the caller qualified it. */
    public String arnOf(FunctionRef ref) {
        return ref.qualifier().map(q -> arns.function(ref.name(), q)).orElse(arns.function(ref.name()));
    }

    public Optional<FunctionRecord> find(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    public FunctionRecord record(String name) {
        return require(name, Optional.empty());
    }

    /** ListFunctions: {@code $LATEST} of every function (and every version with {@code all}), by name. */
    public List<FunctionVersion> list(boolean allVersions) {
        var out = new ArrayList<FunctionVersion>();
        functions.values().stream().sorted(Comparator.comparing(FunctionRecord::name)).forEach(r -> {
            out.add(r.latest());
            if (allVersions) {
                out.addAll(r.versions().values());
            }
        });
        return out;
    }

    /** ListVersionsByFunction: {@code $LATEST}, then the published versions by number. */
    public List<FunctionVersion> listVersions(FunctionRef ref) {
        FunctionRecord r = require(ref.name(), Optional.empty());
        var out = new ArrayList<FunctionVersion>();
        out.add(r.latest());
        out.addAll(r.versions().values());
        return out;
    }

    /**
     * A key that sorts versions the way the listings order them ({@code $LATEST} first, then by
     * number); the paging markers are built from it.
     */
    public static String sortKey(FunctionVersion v) {
        return v.isLatest() ? "0000000000" : String.format("%010d", Long.parseLong(v.version()));
    }

    /** UpdateFunctionConfiguration. */
    public FunctionVersion updateConfiguration(FunctionRef ref, FunctionSpec spec, Optional<String> revisionId) {
        ref.requireUnqualifiedForUpdate();
        spec.runtime().ifPresent(rt -> Runtimes.check(rt, runtimes));
        checkEnvironment(spec.environment());
        spec.deadLetterTargetArn().ifPresent(this::checkDeadLetterTarget);
        return withLock(ref.name(), () -> {
            FunctionRecord r = require(ref.name(), Optional.empty());
            FunctionVersion cur = r.latest();
            checkUpdatable(cur);
            checkRevision(revisionId, cur.revisionId(), REVISION_MISMATCH);
            var b = cur.toBuilder();
            spec.runtime().ifPresent(b::runtime);
            spec.handler().ifPresent(b::handler);
            spec.role().ifPresent(b::role);
            spec.memorySize().ifPresent(b::memorySize);
            spec.timeout().ifPresent(b::timeout);
            spec.description().ifPresent(b::description);
            spec.environment().ifPresent(env -> b.environment(Optional.of(env)));
            spec.architectures().ifPresent(b::architectures);
            spec.ephemeralStorageSize().ifPresent(b::ephemeralStorageSize);
            spec.tracingMode().ifPresent(b::tracingMode);
            spec.logFormat().ifPresent(b::logFormat);
            spec.logGroup().ifPresent(b::logGroup);
            // An empty TargetArn removes the dead-letter queue, as on AWS.
            spec.deadLetterTargetArn().ifPresent(arn -> b.deadLetterTargetArn(Optional.of(arn).filter(a -> !a.isEmpty())));
            FunctionVersion updated = inProgress(b).build();
            save(r.withLatest(updated));
            notifyLatestChanged(ref.name());
            scheduleActivation(ref.name(), updated.configRevision());
            return updated;
        });
    }

    /**
     * UpdateFunctionCode. Returns {@code $LATEST}, or with {@code publish} the version published
     * from the new code in the same step (Pending until the code is ready, like {@code $LATEST}).
     */
    public FunctionVersion updateCode(FunctionRef ref, byte[] zip, boolean publish, Optional<String> revisionId) {
        ref.requireUnqualifiedForUpdate();
        CodePackage pkg = code.put(zip);
        return withLock(ref.name(), () -> {
            FunctionRecord r = require(ref.name(), Optional.empty());
            FunctionVersion cur = r.latest();
            checkUpdatable(cur);
            checkRevision(revisionId, cur.revisionId(), REVISION_MISMATCH);
            FunctionVersion next = inProgress(cur.toBuilder().code(pkg)).build();
            FunctionRecord updated = r.withLatest(next);
            FunctionVersion result = next;
            if (publish) {
                int n = r.lastPublishedVersion() + 1;
                result = newVersion(next, n, Optional.empty());
                updated = updated.withVersion(n, result);
            }
            save(updated);
            notifyLatestChanged(ref.name());
            scheduleActivation(ref.name(), next.configRevision());
            return result;
        });
    }

    /** DeleteFunction: the whole function, or one published version with a qualifier. */
    public void delete(FunctionRef ref) {
        // AWS checks the qualifier before it looks for the function.
        ref.qualifier().ifPresent(q -> {
            if (FunctionVersion.LATEST.equals(q)) {
                throw LambdaException.invalidParameter("$LATEST version cannot be deleted without deleting the function.");
            }
            if (ALIAS_NAME.matcher(q).matches()) {
                throw LambdaException.invalidParameter("Deletion of aliases is not currently supported.");
            }
        });
        withLock(ref.name(), () -> {
            FunctionRecord r = functions.get(ref.name());
            if (r == null) {
                throw LambdaException.notFound("Function not found: " + arns.function(ref.name()));
            }
            if (ref.qualifier().isEmpty()) {
                store.delete(ref.name());
                functions.remove(ref.name());
                listeners.forEach(l -> l.functionDeleted(ref.name()));
                if (r.reservedConcurrency().isPresent()) {
                    listeners.forEach(l -> l.reservedConcurrencyChanged(ref.name(), Optional.empty()));
                }
                return null;
            }
            String q = ref.qualifier().get();
            if (!VERSION_NUMBER.matcher(q).matches()) {
                throw LambdaException.notFound("Function not found: " + arns.function(ref.name(), q));
            }
            int n = Integer.parseInt(q);
            if (!r.versions().containsKey(n)) {
                return null; // AWS answers 204 for a version that does not exist
            }
            var using = r.aliases().values().stream()
                    .filter(a -> a.functionVersion().equals(q) || a.additionalVersionWeights().containsKey(q))
                    .map(Alias::name).sorted().toList();
            if (!using.isEmpty()) {
                throw LambdaException.conflict("Unable to delete version because the following aliases reference it: "
                        + using);
            }
            var policies = new HashMap<>(r.policies());
            policies.remove(q);
            var configs = new HashMap<>(r.eventInvokeConfigs());
            configs.remove(q);
            save(r.withoutVersion(n).withPolicies(policies).withEventInvokeConfigs(configs));
            listeners.forEach(l -> l.versionDeleted(ref.name(), q));
            return null;
        });
    }

    // ---------------------------------------------------------------- versions

    /**
     * PublishVersion: snapshots {@code $LATEST} under the next number (numbers are never reused) and
     * gives {@code $LATEST} a new revision id. When {@code $LATEST}'s code and configuration did not
     * change since the last published version, that version is returned instead, whatever the
     * description asked for.
     */
    public FunctionVersion publishVersion(FunctionRef ref, Optional<String> codeSha256, Optional<String> description,
                                          Optional<String> revisionId) {
        return withLock(ref.name(), () -> {
            FunctionRecord r = require(ref.name(), Optional.empty());
            FunctionVersion latest = r.latest();
            checkUpdatable(latest);
            checkRevision(revisionId, latest.revisionId(), REVISION_MISMATCH);
            codeSha256.ifPresent(sha -> {
                if (!sha.equals(latest.codeSha256())) {
                    throw LambdaException.invalidParameter("CodeSHA256 (" + sha + ") is different from current CodeSHA256 in $LATEST ("
                            + latest.codeSha256() + "). Please try again with the CodeSHA256 in $LATEST.");
                }
            });
            if (!r.versions().isEmpty()) {
                FunctionVersion last = r.versions().get(r.versions().lastKey());
                if (unchangedSince(last, latest)) {
                    return last;
                }
            }
            int n = r.lastPublishedVersion() + 1;
            FunctionVersion v = newVersion(latest, n, description);
            save(r.withLatest(latest.toBuilder().revisionId(newRevision()).build()).withVersion(n, v));
            return v;
        });
    }

    /** Version {@code n} of {@code latest}: Active at once when {@code $LATEST} is, else Pending with it. */
    private FunctionVersion newVersion(FunctionVersion latest, int n, Optional<String> description) {
        var b = latest.toBuilder()
                .version(Integer.toString(n))
                .description(description.orElse(latest.description()))
                .revisionId(newRevision())
                .lastModified(now());
        boolean ready = latest.state() == FunctionState.Active
                && latest.lastUpdateStatus().orElse(LastUpdateStatus.Successful) == LastUpdateStatus.Successful;
        if (ready) {
            b.state(FunctionState.Active, Optional.empty(), Optional.empty())
                    .lastUpdate(Optional.of(LastUpdateStatus.Successful), Optional.empty(), Optional.empty());
        } else {
            b.state(FunctionState.Pending, Optional.of(BEING_CREATED), Optional.of(CREATING))
                    .lastUpdate(Optional.empty(), Optional.empty(), Optional.empty());
        }
        return b.build();
    }

    /** Whether {@code version} was published from {@code latest}'s current code and configuration. */
    private static boolean unchangedSince(FunctionVersion version, FunctionVersion latest) {
        if (version.configRevision().isPresent() && latest.configRevision().isPresent()) {
            return version.configRevision().equals(latest.configRevision());
        }
        // Records stored before configRevision existed: compare what can be compared.
        return sameContent(version, latest) && version.description().equals(latest.description());
    }

    // ---------------------------------------------------------------- aliases

    public Alias createAlias(FunctionRef ref, String aliasName, String functionVersion, String description,
                             Map<String, Double> weights) {
        return withLock(ref.name(), () -> {
            // AWS names the version the alias would point to when the function is missing.
            FunctionRecord r = require(ref.name(), Optional.of(functionVersion));
            checkAliasTargets(r, functionVersion, weights);
            if (r.aliases().containsKey(aliasName)) {
                throw LambdaException.conflict("Alias already exists: " + arns.function(ref.name(), aliasName));
            }
            Alias a = new Alias(aliasName, functionVersion, description, weights, newRevision());
            var aliases = new HashMap<>(r.aliases());
            aliases.put(aliasName, a);
            save(r.withAliases(aliases));
            return a;
        });
    }

    public Alias alias(FunctionRef ref, String aliasName) {
        FunctionRecord r = require(ref.name(), Optional.empty());
        Alias a = r.aliases().get(aliasName);
        if (a == null) {
            throw LambdaException.notFound("Cannot find alias arn: " + arns.function(ref.name(), aliasName));
        }
        return a;
    }

    /** ListAliases, optionally only those that route to {@code functionVersion}. */
    public List<Alias> aliases(FunctionRef ref, Optional<String> functionVersion) {
        FunctionRecord r = require(ref.name(), Optional.empty());
        return r.aliases().values().stream()
                .filter(a -> functionVersion.map(v -> a.functionVersion().equals(v)
                        || a.additionalVersionWeights().containsKey(v)).orElse(true))
                .sorted(Comparator.comparing(Alias::name))
                .toList();
    }

    public Alias updateAlias(FunctionRef ref, String aliasName, Optional<String> functionVersion,
                             Optional<String> description, Optional<Map<String, Double>> weights,
                             Optional<String> revisionId) {
        return withLock(ref.name(), () -> {
            FunctionRecord r = require(ref.name(), Optional.empty());
            Alias cur = r.aliases().get(aliasName);
            if (cur == null) {
                throw LambdaException.notFound("Alias not found: " + arns.function(ref.name(), aliasName));
            }
            checkRevision(revisionId, cur.revisionId(), REVISION_MISMATCH);
            String version = functionVersion.orElse(cur.functionVersion());
            Map<String, Double> w = weights.orElse(cur.additionalVersionWeights());
            checkAliasTargets(r, version, w);
            Alias a = new Alias(aliasName, version, description.orElse(cur.description()), w, newRevision());
            var aliases = new HashMap<>(r.aliases());
            aliases.put(aliasName, a);
            save(r.withAliases(aliases));
            return a;
        });
    }

    public void deleteAlias(FunctionRef ref, String aliasName) {
        withLock(ref.name(), () -> {
            FunctionRecord r = require(ref.name(), Optional.empty());
            if (!r.aliases().containsKey(aliasName)) {
                return null; // AWS answers 204
            }
            var aliases = new HashMap<>(r.aliases());
            aliases.remove(aliasName);
            var policies = new HashMap<>(r.policies());
            policies.remove(aliasName);
            var configs = new HashMap<>(r.eventInvokeConfigs());
            configs.remove(aliasName);
            save(r.withAliases(aliases).withPolicies(policies).withEventInvokeConfigs(configs));
            return null;
        });
    }

    private void checkAliasTargets(FunctionRecord r, String version, Map<String, Double> weights) {
        if (weights.size() > 1) {
            throw LambdaException.invalidParameter("Number of items in AdditionalVersionWeights cannot be greater than 1");
        }
        if (!weights.isEmpty() && FunctionVersion.LATEST.equals(version)) {
            throw LambdaException.invalidParameter("$LATEST is not supported for an alias pointing to more than 1 version")
                    .withoutTypeField();
        }
        if (r.version(version).isEmpty()) {
            throw LambdaException.notFound("Function not found: " + arns.function(r.name(), version));
        }
        for (String v : weights.keySet()) {
            if (v.equals(version)) {
                throw LambdaException.invalidParameter("Invalid function version " + v + ". Function version " + v
                        + " is already included in routing configuration.");
            }
            if (r.version(v).isEmpty()) {
                throw LambdaException.notFound("Function not found: " + arns.function(r.name(), v));
            }
        }
    }

    // ---------------------------------------------------------------- event invoke configs

    static final String NO_SETTING = "You must specify at least one of error handling or destination setting.";
    static final String FUNCTION_DOES_NOT_EXIST = "The function doesn't exist.";
    static final String SELF_DESTINATION = "You can't specify the function as a destination for itself.";
    static final String S3_DESTINATION = "Lamina does not support S3 destinations: it cannot deliver invocation "
            + "records to Amazon S3. Use an SQS queue, SNS topic, EventBridge event bus or Lambda function instead.";
    private static final Pattern ARN = Pattern.compile("arn:aws[a-zA-Z-]*:([a-zA-Z0-9-]+):([^:]*):([^:]*):(.*)");
    private static final Pattern FUNCTION_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:lambda:([^:]+):(\\d{12}):function:([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");

    /**
     * The asynchronous invocation settings of one qualifier of a function, for the async worker.
     * No fallback between qualifiers: an alias without its own configuration runs with AWS's
     * defaults even when {@code $LATEST} or its version has one, as on AWS.
     *
     * @param qualifier {@code $LATEST}, a version number or an alias name
     * @return empty when the function or the configuration does not exist
     */
    public Optional<EventInvokeConfig> eventInvokeConfig(String functionName, String qualifier) {
        FunctionRecord r = functions.get(functionName);
        return r == null ? Optional.empty() : Optional.ofNullable(r.eventInvokeConfigs().get(qualifier));
    }

    /** PutFunctionEventInvokeConfig: replaces the qualifier's configuration; what the request left out is unset. */
    public EventInvokeConfig putEventInvokeConfig(FunctionRef ref, EventInvokeConfigChange change) {
        if (change.isEmpty()) {
            throw LambdaException.invalidParameter(NO_SETTING);
        }
        return withLock(ref.name(), () -> {
            FunctionRecord r = requireForEventInvokeConfig(ref);
            String q = ref.qualifier().orElse(FunctionVersion.LATEST);
            var destinations = change.destinationConfig().orElse(EventInvokeConfigChange.Destinations.NONE);
            checkDestinations(r.name(), destinations);
            var config = new EventInvokeConfig(change.maximumRetryAttempts(), change.maximumEventAgeInSeconds(),
                    destinations.onSuccess().flatMap(EventInvokeConfigChange.Destination::arn),
                    destinations.onFailure().flatMap(EventInvokeConfigChange.Destination::arn), clock.millis());
            saveEventInvokeConfig(r, q, config);
            return config;
        });
    }

    /**
     * UpdateFunctionEventInvokeConfig: changes only what the request gave, OnSuccess and OnFailure
     * each on their own; the configuration must exist.
     */
    public EventInvokeConfig updateEventInvokeConfig(FunctionRef ref, EventInvokeConfigChange change) {
        if (change.isEmpty()) {
            throw LambdaException.invalidParameter(NO_SETTING);
        }
        return withLock(ref.name(), () -> {
            FunctionRecord r = requireForEventInvokeConfig(ref);
            String q = ref.qualifier().orElse(FunctionVersion.LATEST);
            EventInvokeConfig cur = r.eventInvokeConfigs().get(q);
            if (cur == null) {
                throw noEventInvokeConfig(ref.name(), q);
            }
            var destinations = change.destinationConfig().orElse(EventInvokeConfigChange.Destinations.NONE);
            checkDestinations(r.name(), destinations);
            var config = new EventInvokeConfig(
                    change.maximumRetryAttempts().or(cur::maximumRetryAttempts),
                    change.maximumEventAgeInSeconds().or(cur::maximumEventAgeInSeconds),
                    destinations.onSuccess().map(EventInvokeConfigChange.Destination::arn).orElse(cur.onSuccess()),
                    destinations.onFailure().map(EventInvokeConfigChange.Destination::arn).orElse(cur.onFailure()),
                    clock.millis());
            saveEventInvokeConfig(r, q, config);
            return config;
        });
    }

    /** GetFunctionEventInvokeConfig; AWS answers the same whether the function, the qualifier or the configuration is missing. */
    public EventInvokeConfig getEventInvokeConfig(FunctionRef ref) {
        String q = ref.qualifier().orElse(FunctionVersion.LATEST);
        return eventInvokeConfig(ref.name(), q).orElseThrow(() -> noEventInvokeConfig(ref.name(), q));
    }

    public void deleteEventInvokeConfig(FunctionRef ref) {
        String q = ref.qualifier().orElse(FunctionVersion.LATEST);
        withLock(ref.name(), () -> {
            FunctionRecord r = functions.get(ref.name());
            if (r == null || !r.eventInvokeConfigs().containsKey(q)) {
                throw noEventInvokeConfig(ref.name(), q);
            }
            var configs = new HashMap<>(r.eventInvokeConfigs());
            configs.remove(q);
            save(r.withEventInvokeConfigs(configs));
            return null;
        });
    }

    /**
     * ListFunctionEventInvokeConfigs: qualifier → configuration, {@code $LATEST} first, then versions
     * by number, then aliases by name (the order {@link #eventInvokeConfigSortKey} gives).
     */
    public List<Map.Entry<String, EventInvokeConfig>> eventInvokeConfigs(FunctionRef ref) {
        FunctionRecord r = functions.get(ref.name());
        if (r == null) {
            throw LambdaException.notFound(FUNCTION_DOES_NOT_EXIST);
        }
        return r.eventInvokeConfigs().entrySet().stream()
                .sorted(Comparator.comparing(e -> eventInvokeConfigSortKey(e.getKey())))
                .toList();
    }

    /** Orders qualifiers as the listing does; the paging markers are built from it. */
    public static String eventInvokeConfigSortKey(String qualifier) {
        if (FunctionVersion.LATEST.equals(qualifier)) {
            return "0";
        }
        return VERSION_NUMBER.matcher(qualifier).matches()
                ? "1" + String.format("%010d", Long.parseLong(qualifier)) : "2" + qualifier;
    }

    /** Put and Update name the function, and a qualifier that must exist, with one message for all three. */
    private FunctionRecord requireForEventInvokeConfig(FunctionRef ref) {
        FunctionRecord r = functions.get(ref.name());
        if (r == null || ref.qualifier().filter(q -> r.version(q).isEmpty() && !r.aliases().containsKey(q)).isPresent()) {
            throw LambdaException.notFound(FUNCTION_DOES_NOT_EXIST);
        }
        return r;
    }

    private LambdaException noEventInvokeConfig(String name, String qualifier) {
        return LambdaException.notFound("The function " + arns.function(name, qualifier)
                + " doesn't have an EventInvokeConfig");
    }

    private void saveEventInvokeConfig(FunctionRecord r, String qualifier, EventInvokeConfig config) {
        var configs = new HashMap<>(r.eventInvokeConfigs());
        configs.put(qualifier, config);
        save(r.withEventInvokeConfigs(configs));
    }

    /**
     * AWS accepts functions (that exist, other than this one), SQS queues, SNS topics, EventBridge
     * event buses and, on failure only, S3 buckets; anything else makes the whole DestinationConfig
     * invalid, reported in the form AWS's Java front end prints it.
     */
    private void checkDestinations(String functionName, EventInvokeConfigChange.Destinations d) {
        boolean valid = d.onSuccess().flatMap(EventInvokeConfigChange.Destination::arn)
                .map(arn -> checkDestination(functionName, arn, false)).orElse(true);
        valid &= d.onFailure().flatMap(EventInvokeConfigChange.Destination::arn)
                .map(arn -> checkDestination(functionName, arn, true)).orElse(true);
        if (!valid) {
            throw LambdaException.invalidParameter("The provided destination config DestinationConfig(onSuccess="
                    + d.onSuccess().map(x -> "OnSuccess(destination=" + x.arn().orElse("null") + ")").orElse("null")
                    + ", onFailure="
                    + d.onFailure().map(x -> "OnFailure(destination=" + x.arn().orElse("null") + ")").orElse("null")
                    + ") is invalid.");
        }
    }

    /** Whether the destination's service is one AWS delivers to; throws for a function AWS would not accept. */
    private boolean checkDestination(String functionName, String arn, boolean onFailure) {
        var m = ARN.matcher(arn);
        if (!m.matches()) {
            return false;
        }
        return switch (m.group(1)) {
            case "sqs", "sns", "events" -> true;
            case "s3" -> {
                if (onFailure) {
                    throw LambdaException.invalidParameter(S3_DESTINATION);
                }
                yield false; // AWS takes S3 buckets only as on-failure destinations
            }
            case "lambda" -> {
                var f = FUNCTION_ARN.matcher(arn);
                FunctionRecord target = f.matches() && f.group(1).equals(arns.region())
                        && f.group(2).equals(arns.accountId()) ? functions.get(f.group(3)) : null;
                boolean qualifierExists = target != null && (f.group(5) == null
                        || target.version(f.group(5)).isPresent() || target.aliases().containsKey(f.group(5)));
                if (!qualifierExists) {
                    throw LambdaException.invalidParameter("The destination ARN " + arn + " is invalid.");
                }
                if (target.name().equals(functionName)) {
                    throw LambdaException.invalidParameter(SELF_DESTINATION);
                }
                yield true;
            }
            default -> false;
        };
    }

    /**
     * {@code DeadLetterConfig.TargetArn}: an SQS queue or SNS topic ARN (or empty, for none). The
     * wording is Lamina's: AWS's own message for a target of another service is not documented.
     */
    private void checkDeadLetterTarget(String arn) {
        if (arn.isEmpty()) {
            return;
        }
        var m = ARN.matcher(arn);
        if (!m.matches() || !(m.group(1).equals("sqs") || m.group(1).equals("sns"))
                || m.group(2).isEmpty() || !m.group(3).matches("\\d{12}") || m.group(4).isEmpty()
                || m.group(4).contains(":")) {
            throw LambdaException.invalidParameter("The dead-letter queue " + arn
                    + " is invalid: DeadLetterConfig.TargetArn must be the ARN of an Amazon SQS queue or an Amazon SNS topic.");
        }
    }

    // ---------------------------------------------------------------- invoke targets

    /**
     * Resolves what an invocation runs. An alias with weights picks its additional version with that
     * probability, like Lambda's weighted aliases.
     */
    public Target target(FunctionRef ref) {
        FunctionRecord r = functions.get(ref.name());
        String invokedArn = arns.function(ref.name(), ref.qualifier().orElse(FunctionVersion.LATEST));
        if (r == null) {
            throw LambdaException.notFound("Function not found: " + invokedArn);
        }
        String q = ref.qualifier().orElse(FunctionVersion.LATEST);
        Optional<FunctionVersion> direct = r.version(q);
        if (direct.isPresent()) {
            return new Target(r, direct.get(), ref.qualifier().isPresent() ? invokedArn : arns.function(ref.name()));
        }
        Alias a = r.aliases().get(q);
        if (a == null) {
            throw LambdaException.notFound("Function not found: " + invokedArn);
        }
        String version = a.functionVersion();
        if (!a.additionalVersionWeights().isEmpty()) {
            double roll = ThreadLocalRandom.current().nextDouble();
            double acc = 0;
            for (var e : a.additionalVersionWeights().entrySet()) {
                acc += e.getValue();
                if (roll < acc) {
                    version = e.getKey();
                    break;
                }
            }
        }
        String chosen = version;
        FunctionVersion v = r.version(chosen).orElseThrow(
                () -> LambdaException.notFound("Function not found: " + arns.function(r.name(), chosen)));
        return new Target(r, v, invokedArn);
    }

    // ---------------------------------------------------------------- concurrency

    public int putReservedConcurrency(FunctionRef ref, int reserved) {
        ref.requireUnqualified(ONLY_FUNCTIONS);
        return withLock(ref.name(), () -> {
            FunctionRecord r = functions.get(ref.name());
            if (r == null) {
                throw LambdaException.notFound("Function not found: " + arns.function(ref.name(), FunctionVersion.LATEST));
            }
            long others = functions.values().stream().filter(f -> !f.name().equals(ref.name()))
                    .mapToLong(f -> f.reservedConcurrency().orElse(0)).sum();
            if (reserved < 0) {
                throw LambdaException.invalidParameter("ReservedConcurrentExecutions must not be negative.");
            }
            if (concurrency.accountLimit() - (others + reserved) < concurrency.minimumUnreserved()) {
                throw LambdaException.invalidParameter("Specified ReservedConcurrentExecutions for function decreases "
                        + "account's UnreservedConcurrentExecution below its minimum value of ["
                        + concurrency.minimumUnreserved() + "].").withoutTypeField();
            }
            save(r.withReservedConcurrency(Optional.of(reserved)));
            listeners.forEach(l -> l.reservedConcurrencyChanged(ref.name(), Optional.of(reserved)));
            return reserved;
        });
    }

    public Optional<Integer> reservedConcurrency(FunctionRef ref) {
        ref.requireUnqualified(ONLY_FUNCTIONS);
        FunctionRecord r = functions.get(ref.name());
        if (r == null) {
            throw LambdaException.notFound("Function not found: " + arns.function(ref.name()));
        }
        return r.reservedConcurrency();
    }

    public void deleteReservedConcurrency(FunctionRef ref) {
        ref.requireUnqualified(ONLY_FUNCTIONS);
        withLock(ref.name(), () -> {
            FunctionRecord r = functions.get(ref.name());
            if (r == null) {
                throw LambdaException.notFound("Function not found: " + arns.function(ref.name()));
            }
            save(r.withReservedConcurrency(Optional.empty()));
            listeners.forEach(l -> l.reservedConcurrencyChanged(ref.name(), Optional.empty()));
            return null;
        });
    }

    public int totalReservedConcurrency() {
        return functions.values().stream().mapToInt(f -> f.reservedConcurrency().orElse(0)).sum();
    }

    public long totalCodeSize() {
        return functions.values().stream().mapToLong(f -> f.latest().codeSize()
                + f.versions().values().stream().mapToLong(FunctionVersion::codeSize).sum()).sum();
    }

    public int functionCount() {
        return functions.size();
    }

    static final String ONLY_FUNCTIONS = "This operation is permitted on Lambda functions only. Aliases and versions "
            + "do not support this operation. Please specify either a function name or an unqualified function ARN.";

    // ---------------------------------------------------------------- permissions

    /** The statement AddPermission takes, before it becomes a policy document. */
    public record PermissionRequest(String statementId, String action, String principal, Optional<String> sourceArn,
                                    Optional<String> sourceAccount, Optional<String> eventSourceToken,
                                    Optional<String> principalOrgId, Optional<String> functionUrlAuthType,
                                    Optional<String> revisionId) {
    }

    /**
     * AddPermission: returns the statement as the JSON string AWS returns. A policy has its own
     * revision id (GetPolicy's); before the first statement exists, {@code RevisionId} is checked
     * against the revision of the function, version or alias the policy is for.
     */
    public String addPermission(FunctionRef ref, PermissionRequest p) {
        if (ref.qualifier().filter(FunctionVersion.LATEST::equals).isPresent()) {
            throw LambdaException.invalidParameter("We currently do not support adding policies for $LATEST.");
        }
        return withLock(ref.name(), () -> {
            FunctionRecord r = require(ref.name(), Optional.empty());
            String key = ref.qualifier().orElse("");
            String resourceRevision = checkPolicyTarget(r, ref);
            Optional<Policy> existing = Optional.ofNullable(r.policies().get(key)).filter(x -> !x.statementsJson().isEmpty());
            checkRevision(p.revisionId(), existing.map(Policy::revisionId).orElse(resourceRevision), POLICY_REVISION_MISMATCH);
            List<String> current = existing.map(Policy::statementsJson).orElse(List.of());
            for (String s : current) {
                if (p.statementId().equals(sid(s))) {
                    throw LambdaException.conflict("The statement id (" + p.statementId() + ") provided already exists. "
                            + "Please provide a new statement id, or remove the existing statement.");
                }
            }
            String statement = statementJson(p, ref.qualifier().map(q -> arns.function(ref.name(), q))
                    .orElse(arns.function(ref.name())));
            var statements = new ArrayList<>(current);
            statements.add(statement);
            var policies = new HashMap<>(r.policies());
            policies.put(key, new Policy(statements, newRevision()));
            save(r.withPolicies(policies));
            return statement;
        });
    }

    /** RemovePermission; removing the last statement removes the policy. */
    public void removePermission(FunctionRef ref, String statementId, Optional<String> revisionId) {
        withLock(ref.name(), () -> {
            FunctionRecord r = functions.get(ref.name());
            if (r == null) {
                throw LambdaException.notFound("No policy found for: " + arns.function(ref.name()));
            }
            String key = ref.qualifier().orElse("");
            checkPolicyTarget(r, ref);
            Policy existing = r.policies().get(key);
            if (existing == null || existing.statementsJson().isEmpty()) {
                throw LambdaException.notFound("No policy is associated with the given resource.");
            }
            checkRevision(revisionId, existing.revisionId(), POLICY_REVISION_MISMATCH);
            var statements = existing.statementsJson().stream().filter(s -> !statementId.equals(sid(s))).toList();
            if (statements.size() == existing.statementsJson().size()) {
                throw LambdaException.notFound("Statement " + statementId + " is not found in resource policy.");
            }
            var policies = new HashMap<>(r.policies());
            if (statements.isEmpty()) {
                policies.remove(key);
            } else {
                policies.put(key, new Policy(statements, newRevision()));
            }
            save(r.withPolicies(policies));
            return null;
        });
    }

    /** GetPolicy: the policy document as AWS's JSON string, and its revision id. */
    public Map.Entry<String, String> policy(FunctionRef ref) {
        FunctionRecord r = functions.get(ref.name());
        Policy p = r == null ? null : r.policies().get(ref.qualifier().orElse(""));
        if (p == null || p.statementsJson().isEmpty()) {
            // AWS says the same whether the function, the qualifier or only the policy is missing.
            throw LambdaException.notFound("The resource you requested does not exist.");
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.put("Version", "2012-10-17");
        doc.put("Id", "default");
        var arr = doc.putArray("Statement");
        for (String s : p.statementsJson()) {
            arr.add(parse(s));
        }
        return Map.entry(doc.toString(), p.revisionId());
    }

    /**
     * The statements of the policy attached to exactly this function, version or alias (AWS scopes a
     * permission to the ARN it was added to); empty when there is none.
     */
    public List<String> policyStatements(FunctionRef ref) {
        FunctionRecord r = functions.get(ref.name());
        String key = ref.qualifier().filter(q -> !FunctionVersion.LATEST.equals(q)).orElse("");
        Policy p = r == null ? null : r.policies().get(key);
        return p == null ? List.of() : p.statementsJson();
    }

    /** The current revision id of the resource a policy is attached to; fails when it does not exist. */
    private String checkPolicyTarget(FunctionRecord r, FunctionRef ref) {
        if (ref.qualifier().isEmpty()) {
            return r.latest().revisionId();
        }
        String q = ref.qualifier().get();
        Optional<FunctionVersion> v = r.version(q);
        if (v.isPresent()) {
            return v.get().revisionId();
        }
        Alias a = r.aliases().get(q);
        if (a != null) {
            return a.revisionId();
        }
        if (ALIAS_NAME.matcher(q).matches()) {
            throw LambdaException.notFound("Cannot find alias arn: " + arns.function(r.name(), q));
        }
        throw LambdaException.notFound("Function not found: " + arns.function(r.name(), q));
    }

    private static String statementJson(PermissionRequest p, String resource) {
        ObjectNode s = JSON.createObjectNode();
        s.put("Sid", p.statementId());
        s.put("Effect", "Allow");
        String principal = p.principal();
        if ("*".equals(principal)) {
            s.put("Principal", "*");
        } else if (principal.matches("[0-9]{12}")) {
            s.putObject("Principal").put("AWS", "arn:aws:iam::" + principal + ":root");
        } else if (principal.startsWith("arn:aws")) {
            if (!principal.matches("arn:aws[a-zA-Z-]*:iam::[0-9]{12}:.+")) {
                throw LambdaException.invalidParameter("The provided principal was invalid. Please check the principal and try again.");
            }
            s.putObject("Principal").put("AWS", principal);
        } else if (principal.matches("[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?|[a-z0-9.-]+\\.amazon\\.com")) {
            s.putObject("Principal").put("Service", principal);
        } else {
            throw LambdaException.invalidParameter("The provided principal was invalid. Please check the principal and try again.");
        }
        s.put("Action", p.action());
        s.put("Resource", resource);
        ObjectNode condition = JSON.createObjectNode();
        p.sourceAccount().ifPresent(v -> condition.withObject("StringEquals").put("AWS:SourceAccount", v));
        p.principalOrgId().ifPresent(v -> condition.withObject("StringEquals").put("aws:PrincipalOrgID", v));
        p.eventSourceToken().ifPresent(v -> condition.withObject("StringEquals").put("lambda:EventSourceToken", v));
        p.functionUrlAuthType().ifPresent(v -> condition.withObject("StringEquals").put("lambda:FunctionUrlAuthType", v));
        p.sourceArn().ifPresent(v -> condition.withObject("ArnLike").put("AWS:SourceArn", v));
        if (!condition.isEmpty()) {
            s.set("Condition", condition);
        }
        return s.toString();
    }

    private static String sid(String statementJson) {
        return parse(statementJson).path("Sid").asText();
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored policy statement is not JSON", e);
        }
    }

    // ---------------------------------------------------------------- tags

    /** The function an unqualified function ARN names, for the tag operations. */
    public String functionForTagging(String resourceArn) {
        var m = java.util.regex.Pattern.compile("arn:aws[a-zA-Z-]*:lambda:([^:]+):(\\d{12}):function:([a-zA-Z0-9-_]+)(:.+)?")
                .matcher(resourceArn);
        if (!m.matches()) {
            throw LambdaException.invalidParameter("Only function ARNs can be tagged.");
        }
        if (m.group(4) != null) {
            throw LambdaException.invalidParameter("Tags on function aliases and versions are not supported. Please specify a function ARN.");
        }
        if (!m.group(1).equals(arns.region()) || !m.group(2).equals(arns.accountId()) || !functions.containsKey(m.group(3))) {
            throw LambdaException.notFound("Function not found: " + resourceArn);
        }
        return m.group(3);
    }

    /** TagResource: adds or overwrites tags; like any change of the function, it gives $LATEST a new revision id. */
    public void tag(String resourceArn, Map<String, String> tags) {
        if (tags.isEmpty()) {
            throw LambdaException.invalidParameter("An error occurred and the request cannot be processed.");
        }
        String name = functionForTagging(resourceArn);
        withLock(name, () -> {
            FunctionRecord r = require(name, Optional.empty());
            var merged = new LinkedHashMap<>(r.tags());
            merged.putAll(tags);
            checkTags(merged);
            saveTags(r, merged);
            return null;
        });
    }

    public void untag(String resourceArn, List<String> keys) {
        String name = functionForTagging(resourceArn);
        withLock(name, () -> {
            FunctionRecord r = require(name, Optional.empty());
            var left = new LinkedHashMap<>(r.tags());
            keys.forEach(left::remove);
            saveTags(r, left);
            return null;
        });
    }

    private void saveTags(FunctionRecord r, Map<String, String> tags) {
        if (tags.equals(r.tags())) {
            return;
        }
        save(r.withTags(tags).withLatest(r.latest().toBuilder().revisionId(newRevision()).build()));
    }

    public Map<String, String> tags(String resourceArn) {
        return require(functionForTagging(resourceArn), Optional.empty()).tags();
    }

    private static void checkTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw LambdaException.invalidParameter("Number of tags exceeds resource tag limit.");
        }
    }

    // ---------------------------------------------------------------- state transitions

    /**
     * Pending → Active (and InProgress → Successful): the code is unpacked off the request path;
     * only then may the function be invoked, as on AWS. The transition belongs to one code and
     * configuration ({@code configRevision}); tags or a publish may change the revision id meanwhile.
     */
    private void scheduleActivation(String name, Optional<String> configRevision) {
        background.execute(() -> activate(name, configRevision));
    }

    private static boolean settling(FunctionVersion v) {
        return v.state() == FunctionState.Pending
                || v.lastUpdateStatus().orElse(LastUpdateStatus.Successful) == LastUpdateStatus.InProgress;
    }

    private void activate(String name, Optional<String> configRevision) {
        FunctionRecord r = functions.get(name);
        if (r == null) {
            return;
        }
        FunctionVersion v = r.latest();
        boolean ok;
        String failure = "";
        try {
            code.taskRoot(v.codeKey());
            ok = true;
        } catch (RuntimeException e) {
            ok = false;
            failure = e.getMessage();
        }
        boolean succeeded = ok;
        String reason = failure;
        withLock(name, () -> {
            FunctionRecord cur = functions.get(name);
            if (cur == null || !cur.latest().configRevision().equals(configRevision) || !settling(cur.latest())) {
                return null; // deleted, changed again (that change schedules its own activation) or already done
            }
            var b = cur.latest().toBuilder().revisionId(newRevision());
            if (succeeded) {
                b.state(FunctionState.Active, Optional.empty(), Optional.empty())
                        .lastUpdate(Optional.of(LastUpdateStatus.Successful), Optional.empty(), Optional.empty());
            } else {
                b.state(FunctionState.Failed, Optional.of(reason), Optional.of("InternalError"))
                        .lastUpdate(Optional.of(LastUpdateStatus.Failed), Optional.of(reason), Optional.of("InternalError"));
            }
            FunctionRecord next = cur.withLatest(b.build());
            // Versions published while $LATEST was pending become active with it (a new revision, as on AWS).
            for (var e : cur.versions().entrySet()) {
                if (e.getValue().state() == FunctionState.Pending) {
                    next = next.withVersion(e.getKey(), e.getValue().toBuilder()
                            .revisionId(newRevision())
                            .state(succeeded ? FunctionState.Active : FunctionState.Failed, Optional.empty(), Optional.empty())
                            .lastUpdate(Optional.of(succeeded ? LastUpdateStatus.Successful : LastUpdateStatus.Failed),
                                    Optional.empty(), Optional.empty())
                            .build());
                }
            }
            save(next);
            return null;
        });
    }

    /** An update of $LATEST's code or configuration starts (AWS reuses the creation reason here). */
    private FunctionVersion.Builder inProgress(FunctionVersion.Builder b) {
        return b.revisionId(newRevision())
                .configRevision(Optional.of(newRevision()))
                .lastModified(now())
                .lastUpdate(Optional.of(LastUpdateStatus.InProgress), Optional.of(BEING_CREATED), Optional.of(CREATING));
    }

    private void checkUpdatable(FunctionVersion cur) {
        if (settling(cur)) {
            throw LambdaException.conflict(UPDATE_IN_PROGRESS + arns.function(cur.functionName()));
        }
    }

    // ---------------------------------------------------------------- helpers

    private FunctionVersion resolveQualifier(FunctionRecord r, String q) {
        Optional<FunctionVersion> v = r.version(q);
        if (v.isPresent()) {
            return v.get();
        }
        Alias a = r.aliases().get(q);
        if (a != null) {
            return r.version(a.functionVersion()).orElseThrow();
        }
        throw LambdaException.notFound("Function not found: " + arns.function(r.name(), q));
    }

    private FunctionRecord require(String name, Optional<String> qualifier) {
        FunctionRecord r = functions.get(name);
        if (r == null) {
            throw LambdaException.notFound("Function not found: "
                    + qualifier.map(q -> arns.function(name, q)).orElse(arns.function(name)));
        }
        return r;
    }

    private static void checkRevision(Optional<String> given, String current, String message) {
        if (given.isPresent() && !given.get().equals(current)) {
            throw LambdaException.preconditionFailed(message);
        }
    }

    private static void checkEnvironment(Optional<Map<String, String>> env) {
        if (env.isEmpty()) {
            return;
        }
        try {
            String measured = JSON.writeValueAsString(env.get());
            if (measured.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ENVIRONMENT_BYTES) {
                throw LambdaException.invalidParameter("Lambda was unable to configure your environment variables "
                        + "because the environment variables you have provided exceeded the 4KB limit. String measured: "
                        + measured);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (String key : env.get().keySet()) {
            if (RESERVED_ENV.contains(key)) {
                throw LambdaException.invalidParameter("Lambda was unable to configure your environment variables "
                        + "because the environment variables you have provided contains reserved keys that are "
                        + "currently not supported for modification. Reserved keys used in this request: " + key);
            }
        }
    }

    private static final java.util.Set<String> RESERVED_ENV = java.util.Set.of("_HANDLER", "_X_AMZN_TRACE_ID",
            "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
            "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
            "LAMBDA_RUNTIME_DIR");

    private static boolean sameContent(FunctionVersion a, FunctionVersion b) {
        return a.codeSha256().equals(b.codeSha256()) && a.runtime().equals(b.runtime())
                && a.handler().equals(b.handler()) && a.role().equals(b.role()) && a.memorySize() == b.memorySize()
                && a.timeout() == b.timeout() && a.environment().equals(b.environment())
                && a.architectures().equals(b.architectures()) && a.ephemeralStorageSize() == b.ephemeralStorageSize()
                && a.tracingMode().equals(b.tracingMode()) && a.deadLetterTargetArn().equals(b.deadLetterTargetArn());
    }

    /** Writes through to the store first, so nothing is answered that a restart would lose. */
    private void save(FunctionRecord r) {
        store.put(r);
        functions.put(r.name(), r);
    }

    private void notifyLatestChanged(String name) {
        listeners.forEach(l -> l.latestChanged(name));
    }

    private <T> T withLock(String name, java.util.function.Supplier<T> action) {
        var lock = locks.computeIfAbsent(name, k -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private String now() {
        return LAST_MODIFIED.format(clock.instant());
    }

    private static String newRevision() {
        return UUID.randomUUID().toString();
    }
}
