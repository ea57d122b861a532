package io.lamina.core.function;

import java.util.Map;

/**
 * A function alias.
 *
 * @param additionalVersionWeights {@code RoutingConfig.AdditionalVersionWeights}: version → weight in [0, 1]
 */
public record Alias(String name, String functionVersion, String description,
                    Map<String, Double> additionalVersionWeights, String revisionId) {
    public Alias {
        additionalVersionWeights = Map.copyOf(additionalVersionWeights);
    }
}
