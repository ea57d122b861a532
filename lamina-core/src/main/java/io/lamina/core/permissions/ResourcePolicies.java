package io.lamina.core.permissions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.core.function.FunctionRef;
import io.lamina.core.function.FunctionRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Evaluates functions' resource-based policies the way IAM evaluates them for a caller of another
 * service: an explicit Deny wins, otherwise one Allow statement whose action, principal and every
 * condition match is needed, otherwise the request is implicitly denied. A policy applies only to
 * the ARN it was added to: an alias's policy does not cover the unqualified function, nor the reverse.
 */
public final class ResourcePolicies {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parsed statements by their stored text: the front doors ask on every request. */
    private static final int PARSED_LIMIT = 10_000;

    private final Function<FunctionRef, List<String>> statements;
    private final Map<String, JsonNode> parsed = new ConcurrentHashMap<>();

    public ResourcePolicies(FunctionRegistry registry) {
        this(registry::policyStatements);
    }

    ResourcePolicies(Function<FunctionRef, List<String>> statements) {
        this.statements = statements;
    }

    public Decision evaluate(FunctionRef target, AccessRequest request) {
        List<String> docs = statements.apply(target);
        if (docs.isEmpty()) {
            return Decision.implicitDeny("the function has no resource-based policy for " + describe(target));
        }
        Optional<String> allowedBy = Optional.empty();
        for (String doc : docs) {
            JsonNode s = parsed(doc);
            if (!matches(s, request)) {
                continue;
            }
            String sid = s.path("Sid").asText("");
            if ("Deny".equals(s.path("Effect").asText())) {
                return Decision.deny(sid);
            }
            if (allowedBy.isEmpty() && "Allow".equals(s.path("Effect").asText())) {
                allowedBy = Optional.of(sid);
            }
        }
        return allowedBy.map(Decision::allow).orElseGet(() -> Decision.implicitDeny(
                "no statement of the policy of " + describe(target) + " allows " + request.action() + " for "
                        + request.principal()));
    }

    private static String describe(FunctionRef ref) {
        return ref.name() + ref.qualifier().map(q -> ":" + q).orElse("");
    }

    private static boolean matches(JsonNode s, AccessRequest r) {
        return values(s.path("Action")).stream().anyMatch(a -> Wildcards.matches(a.toLowerCase(Locale.ROOT),
                r.action().toLowerCase(Locale.ROOT)))
                && principalMatches(s.path("Principal"), r.principal())
                && conditionsHold(s.path("Condition"), r);
    }

    private static boolean principalMatches(JsonNode p, Principal who) {
        if (p.isTextual()) {
            return "*".equals(p.asText());
        }
        if (values(p.path("AWS")).contains("*")) {
            return true;
        }
        return switch (who) {
            case Principal.Service svc -> values(p.path("Service")).stream().anyMatch(svc.name()::equalsIgnoreCase);
            case Principal.Identity id -> values(p.path("AWS")).stream().anyMatch(a -> a.equals(id.arn())
                    || a.equals(id.accountId()) || a.equals("arn:aws:iam::" + id.accountId() + ":root"));
            case Principal.Anonymous anon -> false;
        };
    }

    /** Every operator must hold; within one operator every key; a key holds when any listed value does. */
    private static boolean conditionsHold(JsonNode condition, AccessRequest r) {
        if (!condition.isObject()) {
            return true;
        }
        var ops = condition.fields();
        while (ops.hasNext()) {
            var op = ops.next();
            var keys = op.getValue().fields();
            while (keys.hasNext()) {
                var key = keys.next();
                if (!holds(op.getKey(), r.key(key.getKey()), values(key.getValue()))) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean holds(String operator, Optional<String> actual, List<String> expected) {
        boolean ifExists = operator.endsWith("IfExists");
        String op = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
        boolean negated = op.contains("Not");
        if (actual.isEmpty()) {
            return ifExists || negated; // IAM: a missing key fails positive operators and satisfies negated ones
        }
        String v = actual.get();
        boolean any = switch (op) {
            case "StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals" -> expected.contains(v);
            case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase" -> expected.stream().anyMatch(v::equalsIgnoreCase);
            case "StringLike", "StringNotLike" -> expected.stream().anyMatch(e -> Wildcards.matches(e, v));
            case "ArnLike", "ArnNotLike" -> expected.stream().anyMatch(e -> arnLike(e, v));
            default -> false; // an operator Lamina does not know never grants
        };
        return negated ? !any : any;
    }

    /** ArnLike compares the six colon-separated parts of an ARN one by one, each with wildcards. */
    static boolean arnLike(String pattern, String arn) {
        String[] p = pattern.split(":", 6);
        String[] a = arn.split(":", 6);
        if (p.length != 6 || a.length != 6) {
            return Wildcards.matches(pattern, arn);
        }
        for (int i = 0; i < 6; i++) {
            if (!Wildcards.matches(p[i], a[i])) {
                return false;
            }
        }
        return true;
    }

    private static List<String> values(JsonNode n) {
        var out = new ArrayList<String>();
        if (n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        } else if (!n.isMissingNode() && !n.isNull()) {
            out.add(n.asText());
        }
        return out;
    }

    private JsonNode parsed(String doc) {
        JsonNode s = parsed.get(doc);
        if (s == null) {
            if (parsed.size() >= PARSED_LIMIT) {
                parsed.clear(); // removed statements are never asked for again; start over rather than grow
            }
            s = parse(doc);
            parsed.put(doc, s);
        }
        return s;
    }

    private static JsonNode parse(String doc) {
        try {
            return JSON.readTree(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored policy statement is not JSON", e);
        }
    }
}
