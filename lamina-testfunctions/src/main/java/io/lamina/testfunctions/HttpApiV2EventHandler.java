package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Receives the typed {@link APIGatewayV2HTTPEvent} of an HTTP API (payload 2.0) and answers, as JSON,
 * every field the typed class read, with a cookie and a custom header, so a test can assert both ways.
 */
public class HttpApiV2EventHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent e, Context context) {
        var seen = new LinkedHashMap<String, Object>();
        seen.put("version", e.getVersion());
        seen.put("routeKey", e.getRouteKey());
        seen.put("rawPath", e.getRawPath());
        seen.put("rawQueryString", e.getRawQueryString());
        seen.put("cookies", e.getCookies());
        seen.put("headers", e.getHeaders());
        seen.put("queryStringParameters", e.getQueryStringParameters());
        seen.put("pathParameters", e.getPathParameters());
        seen.put("stageVariables", e.getStageVariables());
        seen.put("body", e.getBody());
        seen.put("isBase64Encoded", e.getIsBase64Encoded());
        var rc = e.getRequestContext();
        var ctx = new LinkedHashMap<String, Object>();
        ctx.put("routeKey", rc.getRouteKey());
        ctx.put("accountId", rc.getAccountId());
        ctx.put("stage", rc.getStage());
        ctx.put("apiId", rc.getApiId());
        ctx.put("domainName", rc.getDomainName());
        ctx.put("domainPrefix", rc.getDomainPrefix());
        ctx.put("time", rc.getTime());
        ctx.put("timeEpoch", rc.getTimeEpoch());
        ctx.put("requestId", rc.getRequestId());
        var http = rc.getHttp();
        ctx.put("http", http == null ? null : Map.of("method", http.getMethod(), "path", http.getPath(),
                "protocol", http.getProtocol(), "sourceIp", http.getSourceIp(), "userAgent", http.getUserAgent()));
        if (rc.getAuthorizer() != null) {
            ctx.put("authorizer", Map.of("lambda", rc.getAuthorizer().getLambda() == null ? Map.of() : rc.getAuthorizer().getLambda()));
        }
        seen.put("requestContext", ctx);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(201)
                .withHeaders(Map.of("Content-Type", "application/json", "X-Handler", "java-v2"))
                .withCookies(List.of("seen=yes; Path=/", "flavour=v2"))
                .withBody(JsonText.value(new StringBuilder(), seen).toString())
                .withIsBase64Encoded(false)
                .build();
    }
}
