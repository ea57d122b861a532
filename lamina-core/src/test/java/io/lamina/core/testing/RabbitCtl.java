package io.lamina.core.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The broker's own CLI, for what AMQP cannot do: users, permissions and virtual hosts. */
public final class RabbitCtl {
    private RabbitCtl() {
    }

    public static void run(String... args) throws Exception {
        var cmd = new ArrayList<String>(List.of("rabbitmqctl", "-q"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
