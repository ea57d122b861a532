package io.lamina.server.cli;

import io.lamina.core.LaminaConfig;
import io.lamina.server.LaminaServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code lamina serve}: runs a Lamina node until it is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start Lamina: the Lambda API and Invoke on one port, functions in local processes.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    SettingsOptions options;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        LaminaConfig config;
        try {
            config = options.resolve().config();
        } catch (IllegalArgumentException e) {
            System.err.println("lamina: " + e.getMessage());
            return 2;
        }
        LaminaServer server = LaminaServer.start(config);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "lamina-shutdown"));
        System.out.printf("Lamina ready on %s (data %s, region %s, account %s) in %d ms%n", server.endpoint(),
                config.dataDir().toAbsolutePath(), config.region(), config.accountId(), (System.nanoTime() - t0) / 1_000_000);
        System.out.flush();
        stopped.await();
        return 0;
    }
}
