package io.lamina.core.permissions;

/** IAM's wildcards, as policies (resource policies, authorizers' execute-api policies) use them. */
public final class Wildcards {
    private Wildcards() {
    }

    /** {@code *} matches any run of characters, {@code ?} exactly one; everything else itself. */
    public static boolean matches(String pattern, String s) {
        int p = 0, i = 0, star = -1, mark = 0;
        while (i < s.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == s.charAt(i))) {
                p++;
                i++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
