package io.lamina.core.httpapi;

import io.lamina.core.Lamina;
import io.lamina.core.function.FunctionRef;
import io.lamina.core.invoke.InvocationType;
import io.lamina.core.invoke.InvokeRequest;
import io.lamina.core.invoke.InvokeResult;
import io.lamina.core.permissions.AccessRequest;
import io.lamina.core.permissions.Decision;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Functions} on a Lamina core. Policy decisions are remembered per function and source ARN
 * for as long as the function's policy is the same list (every AddPermission/RemovePermission
 * stores a new one), so a request parses no policy JSON once the first has been decided.
 */
final class LaminaFunctions implements Functions {
    private static final String SERVICE = "apigateway.amazonaws.com";

    private record Cached(List<String> statements, Decision decision) {
    }

    private final Lamina lamina;
    private final Optional<String> account;
    private final ConcurrentHashMap<String, FunctionRef> refs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Cached> decisions = new ConcurrentHashMap<>();

    LaminaFunctions(Lamina lamina) {
        this.lamina = lamina;
        this.account = Optional.of(lamina.config().accountId());
    }

    @Override
    public InvokeResult invoke(String functionArn, byte[] payload, String traceId) {
        // By name and qualifier, parsed once per ARN: the invoker's fast path for plain names skips its ARN pattern.
        FunctionRef ref = ref(functionArn);
        return lamina.invoker().invoke(new InvokeRequest(ref.name(), ref.qualifier(), InvocationType.RequestResponse,
                payload, false, Optional.empty(), Optional.of(traceId)));
    }

    @Override
    public Decision permits(String functionArn, String sourceArn) {
        FunctionRef ref = ref(functionArn);
        List<String> statements = lamina.registry().policyStatements(ref);
        String key = functionArn + ' ' + sourceArn;
        Cached c = decisions.get(key);
        if (c != null && c.statements() == statements) {
            return c.decision();
        }
        Decision d = lamina.permissions().evaluate(ref, AccessRequest.service(AccessRequest.INVOKE_FUNCTION, SERVICE,
                Optional.of(sourceArn), account));
        if (decisions.size() > 10_000) {
            decisions.clear(); // bounded: source ARNs are per route, but a stray client should not grow this forever
        }
        decisions.put(key, new Cached(statements, d));
        return d;
    }

    @Override
    public long timeoutMillis(String functionArn) {
        return lamina.registry().target(ref(functionArn)).version().timeout() * 1000L;
    }

    private FunctionRef ref(String functionArn) {
        FunctionRef r = refs.get(functionArn);
        if (r == null) {
            r = FunctionRef.parse(functionArn, Optional.empty(), lamina.registry().arns());
            refs.put(functionArn, r);
        }
        return r;
    }
}
