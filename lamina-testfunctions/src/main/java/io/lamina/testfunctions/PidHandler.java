package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.Map;

/** Sleeps {@code event.millis} ms (if given), then answers its runtime's process id: which environment ran it. */
public class PidHandler implements RequestHandler<Map<String, Object>, Long> {
    @Override
    public Long handleRequest(Map<String, Object> event, Context context) {
        long millis = ((Number) event.getOrDefault("millis", 0)).longValue();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ProcessHandle.current().pid();
    }
}
