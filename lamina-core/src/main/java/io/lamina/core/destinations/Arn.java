package io.lamina.core.destinations;

import java.util.Optional;

/** The parts of {@code arn:partition:service:region:account:resource} that choose and address a target. */
record Arn(String text, String partition, String service, String region, String account, String resource) {

    static Optional<Arn> parse(String text) {
        String[] parts = text.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn") || parts[1].isEmpty() || parts[2].isEmpty()
                || parts[5].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(text, parts[1], parts[2], parts[3], parts[4], parts[5]));
    }

    /** The region to call: the ARN's own, or Lamina's when the ARN leaves it out. */
    String regionOr(String defaultRegion) {
        return region.isEmpty() ? defaultRegion : region;
    }

    @Override
    public String toString() {
        return text;
    }
}
