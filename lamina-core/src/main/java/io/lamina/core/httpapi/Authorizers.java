package io.lamina.core.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.core.permissions.Wildcards;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lambda REQUEST authorizers: their answers read by the authorizer's response mode (simple or IAM
 * policy), and cached for the authorizer's TTL keyed on the identity-source values, as API Gateway
 * does. An IAM policy is cached as a policy and evaluated against each request's route ARN.
 */
final class Authorizers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CACHED = 100_000;

    /** An authorizer's answer: a simple yes/no, or an IAM policy; with its context. */
    sealed interface Answer {
        Map<String, Object> context();

        boolean allows(String routeArn);
    }

    record Simple(boolean authorized, Map<String, Object> context) implements Answer {
        public boolean allows(String routeArn) {
            return authorized;
        }
    }

    record Policy(String principalId, List<Statement> statements, Map<String, Object> context) implements Answer {
        /** An explicit Deny on the route wins; otherwise an Allow on it is needed. */
        public boolean allows(String routeArn) {
            boolean allowed = false;
            for (Statement s : statements) {
                if (s.matches(routeArn)) {
                    if (!s.allow()) {
                        return false;
                    }
                    allowed = true;
                }
            }
            return allowed;
        }
    }

    record Statement(boolean allow, List<String> actions, List<String> resources) {
        boolean matches(String routeArn) {
            return actions.stream().anyMatch(a -> Wildcards.matches(a.toLowerCase(java.util.Locale.ROOT), "execute-api:invoke"))
                    && resources.stream().anyMatch(r -> Wildcards.matches(r, routeArn));
        }
    }

    private record Entry(Answer answer, long expiresAtMillis) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    Authorizers(Clock clock) {
        this.clock = clock;
    }

    Optional<Answer> cached(String key) {
        Entry e = cache.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (clock.millis() >= e.expiresAtMillis()) {
            cache.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.answer());
    }

    void remember(String key, Answer answer, int ttlSeconds) {
        if (ttlSeconds <= 0) {
            return;
        }
        if (cache.size() >= MAX_CACHED) {
            long now = clock.millis();
            cache.values().removeIf(e -> e.expiresAtMillis() <= now);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        cache.put(key, new Entry(answer, clock.millis() + ttlSeconds * 1000L));
    }

    /** Reads an authorizer's payload; empty when it is not a valid answer for the mode (API Gateway answers 500). */
    static Optional<Answer> read(byte[] payload, boolean simpleResponses) {
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (n == null || !n.isObject()) {
            return Optional.empty();
        }
        Map<String, Object> context = context(n.get("context"));
        if (simpleResponses) {
            JsonNode ok = n.get("isAuthorized");
            if (ok == null || !ok.isBoolean()) {
                return Optional.empty();
            }
            return Optional.of(new Simple(ok.asBoolean(), context));
        }
        JsonNode doc = n.get("policyDocument");
        if (doc == null || !doc.isObject() || !doc.path("Statement").isArray()) {
            return Optional.empty();
        }
        var statements = new ArrayList<Statement>();
        for (JsonNode s : doc.get("Statement")) {
            String effect = s.path("Effect").asText();
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                return Optional.empty();
            }
            statements.add(new Statement(effect.equals("Allow"), strings(s.get("Action")), strings(s.get("Resource"))));
        }
        return Optional.of(new Policy(n.path("principalId").asText(""), List.copyOf(statements), context));
    }

    private static Map<String, Object> context(JsonNode n) {
        if (n == null || !n.isObject()) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.convertValue(n, LinkedHashMap.class);
        return m;
    }

    private static List<String> strings(JsonNode n) {
        var out = new ArrayList<String>();
        if (n == null) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        } else {
            out.add(n.asText());
        }
        return out;
    }

}
