package io.lamina.server.cli;

import io.lamina.server.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code lamina config}: prints every setting, its value and where the value came from. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the effective configuration: every setting, its value and its source.")
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    SettingsOptions options;

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = options.resolve();
            settings.config();
        } catch (IllegalArgumentException e) {
            System.err.println("lamina: " + e.getMessage());
            return 2;
        }
        for (Settings.Value v : settings.values()) {
            System.out.printf("%-28s = %-40s # %s; from %s%n", v.key(), v.value(), v.description(), v.source());
        }
        return 0;
    }
}
