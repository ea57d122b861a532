package io.lamina.it.lifecycle;

import io.lamina.it.Waits;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.State;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** What the crash tests share: the sink file of numbers a function wrote, and waiting for that function. */
final class CrashRuns {
    private CrashRuns() {
    }

    /** How many times each number was written to {@code sink}; a line cut short by a kill is not a run. */
    static Map<Integer, Integer> runs(Path sink) {
        var out = new HashMap<Integer, Integer>();
        if (!Files.exists(sink)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(sink)) {
                String n = line.trim();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                    out.merge(Integer.parseInt(n), 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static void awaitActive(LambdaClient lambda, String function) {
        Waits.await(function + " to be Active", Duration.ofSeconds(30),
                () -> lambda.getFunctionConfiguration(r -> r.functionName(function)).state() == State.ACTIVE);
    }
}
