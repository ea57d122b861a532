package io.lamina.core.function;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything Lamina stores about one function: {@code $LATEST}, its published versions, aliases,
 * resource policies (key {@code ""} for the unqualified function, else the qualifier), tags and
 * reserved concurrency and asynchronous invocation settings. Immutable: the registry swaps whole records.
 *
 * @param lastPublishedVersion the highest version number ever published (numbers are never reused)
 * @param eventInvokeConfigs   {@code PutFunctionEventInvokeConfig} settings by qualifier ({@code $LATEST}, a
 *                             version number or an alias name); empty in records stored before they existed
 */
public record FunctionRecord(
        String name,
        FunctionVersion latest,
        SortedMap<Integer, FunctionVersion> versions,
        Map<String, Alias> aliases,
        Map<String, Policy> policies,
        Map<String, String> tags,
        Optional<Integer> reservedConcurrency,
        int lastPublishedVersion,
        Map<String, EventInvokeConfig> eventInvokeConfigs) {

    public FunctionRecord {
        versions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(versions));
        aliases = Map.copyOf(aliases);
        policies = Map.copyOf(policies);
        tags = Map.copyOf(tags);
        eventInvokeConfigs = eventInvokeConfigs == null ? Map.of() : Map.copyOf(eventInvokeConfigs);
    }

    public static FunctionRecord of(FunctionVersion latest, Map<String, String> tags) {
        return new FunctionRecord(latest.functionName(), latest, new TreeMap<>(), Map.of(), Map.of(), tags,
                Optional.empty(), 0, Map.of());
    }

    public FunctionRecord withEventInvokeConfigs(Map<String, EventInvokeConfig> configs) {
        return new FunctionRecord(name, latest, versions, aliases, policies, tags, reservedConcurrency,
                lastPublishedVersion, configs);
    }

    public FunctionRecord withLatest(FunctionVersion v) {
        return new FunctionRecord(name, v, versions, aliases, policies, tags, reservedConcurrency,
                lastPublishedVersion, eventInvokeConfigs);
    }

    public FunctionRecord withVersion(int number, FunctionVersion v) {
        var copy = new TreeMap<>(versions);
        copy.put(number, v);
        return new FunctionRecord(name, latest, copy, aliases, policies, tags, reservedConcurrency,
                Math.max(number, lastPublishedVersion), eventInvokeConfigs);
    }

    public FunctionRecord withoutVersion(int number) {
        var copy = new TreeMap<>(versions);
        copy.remove(number);
        return new FunctionRecord(name, latest, copy, aliases, policies, tags, reservedConcurrency,
                lastPublishedVersion, eventInvokeConfigs);
    }

    public FunctionRecord withAliases(Map<String, Alias> newAliases) {
        return new FunctionRecord(name, latest, versions, newAliases, policies, tags, reservedConcurrency,
                lastPublishedVersion, eventInvokeConfigs);
    }

    public FunctionRecord withPolicies(Map<String, Policy> newPolicies) {
        return new FunctionRecord(name, latest, versions, aliases, newPolicies, tags, reservedConcurrency,
                lastPublishedVersion, eventInvokeConfigs);
    }

    public FunctionRecord withTags(Map<String, String> newTags) {
        return new FunctionRecord(name, latest, versions, aliases, policies, newTags, reservedConcurrency,
                lastPublishedVersion, eventInvokeConfigs);
    }

    public FunctionRecord withReservedConcurrency(Optional<Integer> reserved) {
        return new FunctionRecord(name, latest, versions, aliases, policies, tags, reserved,
                lastPublishedVersion, eventInvokeConfigs);
    }

    /** The version a qualifier names directly ({@code $LATEST} or a number), if it exists. */
    public Optional<FunctionVersion> version(String qualifier) {
        if (FunctionVersion.LATEST.equals(qualifier)) {
            return Optional.of(latest);
        }
        if (!qualifier.matches("[0-9]{1,9}")) {
            return Optional.empty();
        }
        return Optional.ofNullable(versions.get(Integer.parseInt(qualifier)));
    }
}
