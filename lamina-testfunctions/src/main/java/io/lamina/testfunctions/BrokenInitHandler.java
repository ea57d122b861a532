package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.Map;

/** Fails while being constructed: an init error the runtime client reports before any invocation. */
public class BrokenInitHandler implements RequestHandler<Map<String, Object>, String> {
    static {
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null) {
            throw new IllegalStateException("cannot initialise");
        }
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return "never";
    }
}
