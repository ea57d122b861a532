package io.lamina.core.function;

import io.lamina.core.errors.LambdaException;

import java.util.List;
import java.util.Set;

/** The runtime identifiers AWS accepts for new functions, and the deprecated ones it refuses. */
public final class Runtimes {
    /** In the order AWS lists them in its error message. */
    public static final List<String> SUPPORTED = List.of("nodejs20.x", "python3.14", "provided.al2023",
            "python3.12", "python3.13", "nodejs24.x", "nodejs22.x", "java25", "python3.10", "python3.11", "java21",
            "ruby3.3", "ruby3.4", "ruby3.2", "python3.8", "python3.9", "java17", "nodejs16.x", "dotnet10", "dotnet8",
            "java11", "dotnet6", "nodejs18.x", "provided.al2", "java8.al2");

    private static final Set<String> DEPRECATED = Set.of("nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10",
            "nodejs10.x", "nodejs12.x", "nodejs14.x", "java8", "python2.7", "python3.6", "python3.7", "dotnetcore1.0",
            "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", "nodejs4.3-edge", "go1.x", "ruby2.5",
            "ruby2.7", "provided", "python2.7-greengrass");

    private Runtimes() {
    }

    /** Rejects what AWS rejects, then what this host cannot run. */
    public static void check(String runtime, RuntimeSupport host) {
        if (DEPRECATED.contains(runtime)) {
            throw LambdaException.invalidParameter("The runtime parameter of " + runtime
                    + " is no longer supported for creating or updating AWS Lambda functions. We recommend you use a "
                    + "supported runtime while creating or updating functions.");
        }
        if (!SUPPORTED.contains(runtime)) {
            throw LambdaException.invalidParameter("Value " + runtime + " at 'runtime' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: " + SUPPORTED.toString() + " or be a valid ARN");
        }
        host.unavailableReason(runtime).ifPresent(reason -> {
            throw LambdaException.invalidParameter("The runtime " + runtime + " is not available on this Lamina host: "
                    + reason);
        });
    }
}
