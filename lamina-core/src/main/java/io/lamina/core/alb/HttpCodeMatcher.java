package io.lamina.core.alb;

import java.util.ArrayList;
import java.util.List;

/**
 * A health check's success codes as ELB's {@code Matcher.HttpCode} spells them: one code, a list
 * ({@code 200,202}) or a range ({@code 200-299}); ALB accepts codes 200-499.
 */
public record HttpCodeMatcher(String spec, List<int[]> ranges) {
    public HttpCodeMatcher {
        ranges = List.copyOf(ranges);
    }

    public static HttpCodeMatcher parse(String spec) {
        var ranges = new ArrayList<int[]>();
        for (String part : spec.trim().split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
                if (from < 200 || to > 499 || from > to) {
                    throw new IllegalArgumentException("health check matcher codes must be 200-499: " + spec);
                }
                ranges.add(new int[]{from, to});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("health check matcher must look like 200, 200,202 or 200-299: " + spec);
            }
        }
        return new HttpCodeMatcher(spec.trim(), ranges);
    }

    public boolean matches(int status) {
        for (int[] r : ranges) {
            if (status >= r[0] && status <= r[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpCodeMatcher m && m.spec.equals(spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    @Override
    public String toString() {
        return spec;
    }
}
