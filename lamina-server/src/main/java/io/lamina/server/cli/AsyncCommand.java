package io.lamina.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lamina.core.LaminaConfig;
import io.lamina.server.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code lamina async status [function]}: the running server's async queue, per function. */
@Command(name = "async", mixinStandardHelpOptions = true, description = "Inspect the asynchronous invocation queue.",
        subcommands = AsyncCommand.Status.class)
final class AsyncCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Queued, in-flight, delivering, retried, throttled, succeeded, failed and dropped events "
                    + "per function (counts since the server started, queue sizes now).")
    static final class Status implements Callable<Integer> {
        private static final String[] COLUMNS = {"Queued", "InFlight", "Delivering", "Retried", "Throttled",
            "Succeeded", "Failed", "Dropped"};

        @Parameters(index = "0", arity = "0..1", description = "only this function")
        String function;
        @Mixin
        SettingsOptions options;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            Settings settings;
            try {
                settings = options.resolve();
            } catch (IllegalArgumentException e) {
                err.println("lamina: " + e.getMessage());
                return 2;
            }
            LaminaConfig c = settings.config();
            String host = "0.0.0.0".equals(c.host()) ? "127.0.0.1" : c.host();
            URI uri = URI.create("http://" + host + ":" + c.port() + "/_lamina/async");
            JsonNode body;
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
                var resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() != 200) {
                    err.println("lamina: " + uri + " answered " + resp.statusCode());
                    return 1;
                }
                body = new ObjectMapper().readTree(resp.body());
            } catch (IOException e) {
                err.println("lamina: no Lamina server answers at " + uri + " (" + e + "); start it with `lamina serve`");
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            var header = new StringBuilder(String.format("%-40s", "FUNCTION"));
            for (String col : COLUMNS) {
                header.append(String.format(" %10s", col.toUpperCase(java.util.Locale.ROOT)));
            }
            out.println(header.toString().stripTrailing());
            int rows = 0;
            for (JsonNode f : body.path("Functions")) {
                if (function != null && !function.equals(f.path("FunctionName").asText())) {
                    continue;
                }
                var line = new StringBuilder(String.format("%-40s", f.path("FunctionName").asText()));
                for (String col : COLUMNS) {
                    line.append(String.format(" %10d", f.path(col).asLong()));
                }
                out.println(line);
                rows++;
            }
            out.flush();
            if (function != null && rows == 0) {
                err.println("lamina: no async events for " + function + " since the server started");
                return 1;
            }
            return 0;
        }
    }
}
