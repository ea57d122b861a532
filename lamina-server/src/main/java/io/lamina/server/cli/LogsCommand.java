package io.lamina.server.cli;

import io.lamina.core.logs.LogStore;
import io.lamina.server.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lamina logs <function> [--follow]}: the function's log streams, read from the data directory. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print a function's logs (log group /aws/lambda/<function>), oldest stream first.")
final class LogsCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "function name")
    String function;
    @Option(names = {"-f", "--follow"}, description = "keep printing new log lines until interrupted")
    boolean follow;
    @Option(names = "--log-group", description = "log group, if the function has a custom one")
    String logGroup;
    @Mixin
    SettingsOptions options;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Settings settings;
        try {
            settings = options.resolve();
        } catch (IllegalArgumentException e) {
            System.err.println("lamina: " + e.getMessage());
            return 2;
        }
        Path root = settings.config().dataDir().resolve("logs");
        String group = logGroup != null ? logGroup : "/aws/lambda/" + function;
        var store = new LogStore(root, Clock.systemUTC());
        Map<Path, Long> printed = new HashMap<>();
        var out = spec.commandLine().getOut();
        boolean any = printNew(store, group, printed, out);
        if (!follow) {
            if (!any) {
                spec.commandLine().getErr().println("lamina: no logs for " + group + " in " + root.toAbsolutePath());
                return 1;
            }
            return 0;
        }
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(200);
                printNew(store, group, printed, out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static boolean printNew(LogStore store, String group, Map<Path, Long> printed, java.io.PrintWriter out)
            throws IOException {
        boolean any = false;
        for (Path stream : store.streams(group)) {
            any = true;
            long from = printed.getOrDefault(stream, 0L);
            try (var f = new RandomAccessFile(stream.toFile(), "r")) {
                long len = f.length();
                if (len <= from) {
                    continue;
                }
                byte[] buf = new byte[(int) (len - from)];
                f.seek(from);
                f.readFully(buf);
                int lastNewline = lastIndexOf(buf, (byte) '\n');
                if (lastNewline < 0) {
                    continue; // wait for the line to end
                }
                String name = store.streamName(group, stream);
                String text = new String(buf, 0, lastNewline + 1, StandardCharsets.UTF_8);
                for (String line : text.split("\n", -1)) {
                    if (!line.isEmpty()) {
                        out.println(name + " " + line);
                    }
                }
                printed.put(stream, from + lastNewline + 1);
            }
        }
        out.flush();
        return any;
    }

    private static int lastIndexOf(byte[] b, byte v) {
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
