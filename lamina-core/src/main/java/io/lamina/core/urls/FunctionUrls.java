package io.lamina.core.urls;

import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.FunctionListener;
import io.lamina.core.function.FunctionRecord;
import io.lamina.core.function.FunctionRef;
import io.lamina.core.function.FunctionRegistry;
import io.lamina.core.store.UrlConfigStore;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Function URL configurations with AWS's rules (one per function or alias, never on a version or
 * {@code $LATEST}), kept in memory by url id for the front door and by target for the API. Reads are
 * lock-free; writes are serialised, hit the store, then publish. A function's URLs go with the
 * function; an alias's URL outlives the alias (AWS keeps it, and it answers 403 until the alias and
 * its permission are back), so only {@link #functionDeleted} removes configurations.
 */
public final class FunctionUrls implements FunctionListener {
    static final String DOES_NOT_EXIST = "The resource you requested does not exist.";
    static final String FUNCTION_DOES_NOT_EXIST = "Function does not exist";
    /** AWS checks URL qualifiers against this pattern (not the model's, which admits $LATEST). */
    static final Pattern QUALIFIER = Pattern.compile("(?!^\\d+$)^[0-9a-zA-Z-_]+$");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS+0000").withZone(ZoneOffset.UTC);
    private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int ID_LENGTH = 32;

    private final Map<String, UrlConfig> byId = new ConcurrentHashMap<>();
    private final Map<String, UrlConfig> byTarget = new ConcurrentHashMap<>();
    private final ReentrantLock writes = new ReentrantLock();
    private final SecureRandom random = new SecureRandom();
    private final UrlConfigStore store;
    private final FunctionRegistry registry;
    private final Clock clock;

    public FunctionUrls(UrlConfigStore store, FunctionRegistry registry, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        for (UrlConfig c : store.loadAll()) {
            if (registry.find(c.functionName()).isPresent()) {
                publish(c);
            } else {
                store.delete(c.urlId()); // the function went while no listener was attached
            }
        }
    }

    /** What a Create or Update call asks for; empty members leave the current value. */
    public record Change(Optional<UrlConfig.AuthType> authType, Optional<UrlConfig.Cors> cors,
                        Optional<UrlConfig.InvokeMode> invokeMode) {
    }

    /** The front door's lookup: the configuration a URL id names. */
    public Optional<UrlConfig> byId(String urlId) {
        return Optional.ofNullable(byId.get(urlId));
    }

    public UrlConfig create(FunctionRef ref, Change change) {
        checkQualifier(ref);
        UrlConfig.AuthType auth = change.authType().orElseThrow(() -> LambdaException.validation(
                "1 validation error detected: Value null at 'authType' failed to satisfy constraint: Member must not be null"));
        writes.lock();
        try {
            requireTarget(ref, FUNCTION_DOES_NOT_EXIST);
            if (byTarget.containsKey(key(ref.name(), ref.qualifier()))) {
                throw LambdaException.conflict("Failed to create function url config for [functionArn = "
                        + arn(ref) + "]. Error message:  FunctionUrlConfig exists for this Lambda function");
            }
            String id;
            do {
                id = newId();
            } while (byId.containsKey(id));
            String now = TIMESTAMP.format(clock.instant());
            var config = new UrlConfig(id, ref.name(), ref.qualifier(), auth, change.cors(), change.invokeMode(), now, now);
            store.put(config);
            publish(config);
            return config;
        } finally {
            writes.unlock();
        }
    }

    /** An alias's URL outlives the alias, so Get and Delete look for the configuration, not the alias. */
    public UrlConfig get(FunctionRef ref) {
        checkQualifier(ref);
        requireFunction(ref, DOES_NOT_EXIST);
        return existing(ref);
    }

    public UrlConfig update(FunctionRef ref, Change change) {
        checkQualifier(ref);
        writes.lock();
        try {
            requireTarget(ref, FUNCTION_DOES_NOT_EXIST);
            UrlConfig current = existing(ref);
            var updated = current.with(change.authType().orElse(current.authType()),
                    change.cors().or(current::cors), change.invokeMode().or(current::invokeMode),
                    TIMESTAMP.format(clock.instant()));
            store.put(updated);
            publish(updated);
            return updated;
        } finally {
            writes.unlock();
        }
    }

    public void delete(FunctionRef ref) {
        checkQualifier(ref);
        writes.lock();
        try {
            requireFunction(ref, DOES_NOT_EXIST);
            UrlConfig current = existing(ref);
            store.delete(current.urlId());
            unpublish(current);
        } finally {
            writes.unlock();
        }
    }

    /** A function's URLs, the unqualified one first, then by alias name. */
    public List<UrlConfig> list(FunctionRef ref) {
        if (registry.find(ref.name()).isEmpty()) {
            throw LambdaException.notFound(FUNCTION_DOES_NOT_EXIST);
        }
        return byTarget.values().stream().filter(c -> c.functionName().equals(ref.name()))
                .sorted(Comparator.comparing(UrlConfig::sortKey)).toList();
    }

    /** The configuration's ARN: the function's, qualified by the alias when there is one. */
    public String arn(FunctionRef ref) {
        return ref.qualifier().map(q -> registry.arns().function(ref.name(), q))
                .orElseGet(() -> registry.arns().function(ref.name()));
    }

    public String arn(UrlConfig c) {
        return arn(new FunctionRef(c.functionName(), c.qualifier()));
    }

    @Override
    public void functionDeleted(String functionName) {
        writes.lock();
        try {
            for (UrlConfig c : List.copyOf(byTarget.values())) {
                if (c.functionName().equals(functionName)) {
                    store.delete(c.urlId());
                    unpublish(c);
                }
            }
        } finally {
            writes.unlock();
        }
    }

    private static void checkQualifier(FunctionRef ref) {
        ref.qualifier().ifPresent(q -> {
            if (!QUALIFIER.matcher(q).matches()) {
                throw LambdaException.validation("1 validation error detected: Value '" + q
                        + "' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                        + QUALIFIER.pattern());
            }
        });
    }

    private FunctionRecord requireFunction(FunctionRef ref, String message) {
        return registry.find(ref.name()).orElseThrow(() -> LambdaException.notFound(message));
    }

    private void requireTarget(FunctionRef ref, String message) {
        FunctionRecord r = requireFunction(ref, message);
        if (ref.qualifier().isPresent() && !r.aliases().containsKey(ref.qualifier().get())) {
            throw LambdaException.notFound(message);
        }
    }

    private UrlConfig existing(FunctionRef ref) {
        UrlConfig c = byTarget.get(key(ref.name(), ref.qualifier()));
        if (c == null) {
            throw LambdaException.notFound(DOES_NOT_EXIST);
        }
        return c;
    }

    private void publish(UrlConfig c) {
        byId.put(c.urlId(), c);
        byTarget.put(key(c.functionName(), c.qualifier()), c);
    }

    private void unpublish(UrlConfig c) {
        byTarget.remove(key(c.functionName(), c.qualifier()));
        byId.remove(c.urlId());
    }

    private String newId() {
        char[] id = new char[ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    private static String key(String name, Optional<String> qualifier) {
        return name + "\u0000" + qualifier.orElse("");
    }
}
