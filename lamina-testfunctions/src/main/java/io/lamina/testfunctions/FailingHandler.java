package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.Map;

/** Throws, so the test can see the error document the official Java runtime client reports. */
public class FailingHandler implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        throw new IllegalStateException("failing on purpose: " + event.get("reason"));
    }
}
