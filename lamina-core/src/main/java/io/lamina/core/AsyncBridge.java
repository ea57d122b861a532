package io.lamina.core;

import io.lamina.core.async.AsyncFunctions;
import io.lamina.core.function.EventInvokeConfig;
import io.lamina.core.function.FunctionRecord;
import io.lamina.core.function.FunctionRegistry;
import io.lamina.core.function.FunctionVersion;
import io.lamina.core.invoke.Invoker;

import java.util.Optional;
import java.util.function.Supplier;

/** The async queue's view of the registry and the Invoker. */
final class AsyncBridge implements AsyncFunctions {
    private final FunctionRegistry registry;
    private final Supplier<Invoker> invoker;

    AsyncBridge(FunctionRegistry registry, Supplier<Invoker> invoker) {
        this.registry = registry;
        this.invoker = invoker;
    }

    @Override
    public Attempt invoke(Invocation invocation) {
        return invoker.get().runQueued(invocation);
    }

    @Override
    public EventInvokeConfig eventInvokeConfig(String functionName, String qualifier) {
        return registry.eventInvokeConfig(functionName, qualifier).orElse(EventInvokeConfig.DEFAULTS);
    }

    @Override
    public Optional<String> deadLetterTarget(String functionName, String qualifier) {
        // DeadLetterConfig belongs to the version: for an alias, the version it points to now.
        return registry.find(functionName).flatMap(r -> r.version(qualifier)
                .or(() -> Optional.ofNullable(r.aliases().get(qualifier)).flatMap(a -> r.version(a.functionVersion()))))
                .flatMap(FunctionVersion::deadLetterTargetArn);
    }

    @Override
    public Optional<Integer> reservedConcurrency(String functionName) {
        return registry.find(functionName).flatMap(FunctionRecord::reservedConcurrency);
    }

    @Override
    public String functionArn(String functionName, String qualifier) {
        return registry.arns().function(functionName, qualifier);
    }
}
