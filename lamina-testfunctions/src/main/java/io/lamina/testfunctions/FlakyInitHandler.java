package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fails its first initialisation and succeeds on the next: the marker file named by {@code INIT_MARKER}
 * records that one attempt was made. Shows that an invoke after an init error initialises again.
 */
public class FlakyInitHandler implements RequestHandler<Map<String, Object>, String> {
    static {
        String marker = System.getenv("INIT_MARKER");
        if (marker != null) {
            try {
                if (Files.notExists(Path.of(marker))) {
                    Files.writeString(Path.of(marker), "attempted");
                    throw new IllegalStateException("first initialisation fails");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return "initialised";
    }
}
