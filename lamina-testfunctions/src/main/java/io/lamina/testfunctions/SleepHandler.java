package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.Map;

/** Sleeps {@code event.millis} ms, then answers how long it slept. */
public class SleepHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long millis = ((Number) event.getOrDefault("millis", 0)).longValue();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Map.of("slept", millis);
    }
}
