package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Returns every {@link Context} field it sees, the event and the environment; logs through {@link LambdaLogger}. */
public class ContextHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        LambdaLogger logger = context.getLogger();
        logger.log("context handler got " + event);
        var out = new LinkedHashMap<String, Object>();
        out.put("awsRequestId", context.getAwsRequestId());
        out.put("functionName", context.getFunctionName());
        out.put("functionVersion", context.getFunctionVersion());
        out.put("invokedFunctionArn", context.getInvokedFunctionArn());
        out.put("memoryLimitInMB", context.getMemoryLimitInMB());
        out.put("logGroupName", context.getLogGroupName());
        out.put("logStreamName", context.getLogStreamName());
        out.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
        ClientContext cc = context.getClientContext();
        if (cc != null) {
            var client = new LinkedHashMap<String, Object>();
            if (cc.getClient() != null) {
                client.put("installationId", cc.getClient().getInstallationId());
                client.put("appTitle", cc.getClient().getAppTitle());
                client.put("appVersionName", cc.getClient().getAppVersionName());
                client.put("appVersionCode", cc.getClient().getAppVersionCode());
                client.put("appPackageName", cc.getClient().getAppPackageName());
            }
            var ccOut = new LinkedHashMap<String, Object>();
            ccOut.put("client", client);
            ccOut.put("custom", cc.getCustom());
            ccOut.put("environment", cc.getEnvironment());
            out.put("clientContext", ccOut);
        }
        out.put("event", event);
        out.put("env", new TreeMap<>(System.getenv()));
        out.put("xrayTraceId", System.getProperty("com.amazonaws.xray.traceHeader"));
        return out;
    }
}
