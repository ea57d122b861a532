package io.lamina.core.function;

/** ARNs in AWS's form for this Lamina's region and account. */
public record Arns(String region, String accountId) {

    public String function(String name) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
    }

    public String function(String name, String qualifier) {
        return function(name) + ":" + qualifier;
    }

    public String runtimeVersion(String runtime) {
        return "arn:aws:lambda:" + region + "::runtime:" + runtime;
    }
}
