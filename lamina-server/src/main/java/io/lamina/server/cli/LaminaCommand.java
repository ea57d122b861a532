package io.lamina.server.cli;

import picocli.CommandLine.Command;

/** The {@code lamina} command and its subcommands. */
@Command(name = "lamina", mixinStandardHelpOptions = true, version = "lamina 0.1.0",
        description = "Lamina: run AWS Lambda functions on your own machine, wired like AWS Lambda.",
        subcommands = {ServeCommand.class, ConfigCommand.class, LogsCommand.class, AsyncCommand.class})
public final class LaminaCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
