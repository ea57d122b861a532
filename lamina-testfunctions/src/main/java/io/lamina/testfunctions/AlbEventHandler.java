package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ALB target taking the typed {@link ApplicationLoadBalancerRequestEvent} (deserialised by the
 * runtime interface client): answers with a JSON body listing every field it saw, and sets both
 * {@code headers} and {@code multiValueHeaders} (two {@code Set-Cookie} values) so a test sees which
 * one the load balancer used.
 */
public class AlbEventHandler implements RequestHandler<ApplicationLoadBalancerRequestEvent, ApplicationLoadBalancerResponseEvent> {
    @Override
    public ApplicationLoadBalancerResponseEvent handleRequest(ApplicationLoadBalancerRequestEvent event, Context context) {
        var seen = new LinkedHashMap<String, Object>();
        seen.put("targetGroupArn", event.getRequestContext() == null || event.getRequestContext().getElb() == null
                ? null : event.getRequestContext().getElb().getTargetGroupArn());
        seen.put("httpMethod", event.getHttpMethod());
        seen.put("path", event.getPath());
        seen.put("queryStringParameters", event.getQueryStringParameters());
        seen.put("multiValueQueryStringParameters", event.getMultiValueQueryStringParameters());
        seen.put("headers", event.getHeaders());
        seen.put("multiValueHeaders", event.getMultiValueHeaders());
        seen.put("body", event.getBody());
        seen.put("isBase64Encoded", event.getIsBase64Encoded());
        var response = new ApplicationLoadBalancerResponseEvent();
        response.setStatusCode(201);
        response.setStatusDescription("201 Created");
        response.setIsBase64Encoded(false);
        response.setHeaders(Map.of("Content-Type", "application/json", "Set-Cookie", "single=1"));
        response.setMultiValueHeaders(Map.of("Content-Type", List.of("application/json"),
                "Set-Cookie", List.of("a=1; Path=/", "b=2; Path=/")));
        response.setBody(JsonText.value(new StringBuilder(), seen).toString());
        return response;
    }
}
