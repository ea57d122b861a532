package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Receives the typed {@link APIGatewayProxyRequestEvent} of an HTTP API integration with payload 1.0
 * and answers, as JSON, every field the typed class read, with a multi-value header.
 */
public class HttpApiV1EventHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent e, Context context) {
        var seen = new LinkedHashMap<String, Object>();
        seen.put("version", e.getVersion());
        seen.put("resource", e.getResource());
        seen.put("path", e.getPath());
        seen.put("httpMethod", e.getHttpMethod());
        seen.put("headers", e.getHeaders());
        seen.put("multiValueHeaders", e.getMultiValueHeaders());
        seen.put("queryStringParameters", e.getQueryStringParameters());
        seen.put("multiValueQueryStringParameters", e.getMultiValueQueryStringParameters());
        seen.put("pathParameters", e.getPathParameters());
        seen.put("stageVariables", e.getStageVariables());
        seen.put("body", e.getBody());
        seen.put("isBase64Encoded", e.getIsBase64Encoded());
        var rc = e.getRequestContext();
        var ctx = new LinkedHashMap<String, Object>();
        ctx.put("accountId", rc.getAccountId());
        ctx.put("apiId", rc.getApiId());
        ctx.put("domainName", rc.getDomainName());
        ctx.put("domainPrefix", rc.getDomainPrefix());
        ctx.put("extendedRequestId", rc.getExtendedRequestId());
        ctx.put("httpMethod", rc.getHttpMethod());
        ctx.put("path", rc.getPath());
        ctx.put("protocol", rc.getProtocol());
        ctx.put("requestId", rc.getRequestId());
        ctx.put("requestTime", rc.getRequestTime());
        ctx.put("requestTimeEpoch", rc.getRequestTimeEpoch());
        ctx.put("resourceId", rc.getResourceId());
        ctx.put("resourcePath", rc.getResourcePath());
        ctx.put("stage", rc.getStage());
        ctx.put("sourceIp", rc.getIdentity() == null ? null : rc.getIdentity().getSourceIp());
        ctx.put("userAgent", rc.getIdentity() == null ? null : rc.getIdentity().getUserAgent());
        ctx.put("authorizer", rc.getAuthorizer());
        seen.put("requestContext", ctx);
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(202)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withMultiValueHeaders(Map.of("X-Handler", List.of("java-v1", "typed")))
                .withBody(JsonText.value(new StringBuilder(), seen).toString())
                .withIsBase64Encoded(false);
    }
}
