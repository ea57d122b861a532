package io.lamina.testfunctions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Receives a function URL's event as the typed {@link APIGatewayV2HTTPEvent} (deserialised by the
 * runtime interface client) and answers, through {@link APIGatewayV2HTTPResponse}, a JSON body
 * listing every field the typed classes read, so a test can check that each one is populated. The
 * response also sets a header and a cookie, to show that the typed response travels back.
 */
public class UrlEventHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent e, Context context) {
        var f = new TreeMap<String, Object>();
        f.put("version", e.getVersion());
        f.put("routeKey", e.getRouteKey());
        f.put("rawPath", e.getRawPath());
        f.put("rawQueryString", e.getRawQueryString());
        f.put("cookies", e.getCookies());
        f.put("headers", e.getHeaders() == null ? null : new TreeMap<>(e.getHeaders()));
        f.put("queryStringParameters", e.getQueryStringParameters() == null ? null
                : new TreeMap<>(e.getQueryStringParameters()));
        f.put("body", e.getBody());
        f.put("isBase64Encoded", e.getIsBase64Encoded());
        var c = e.getRequestContext();
        if (c != null) {
            f.put("requestContext.accountId", c.getAccountId());
            f.put("requestContext.apiId", c.getApiId());
            f.put("requestContext.domainName", c.getDomainName());
            f.put("requestContext.domainPrefix", c.getDomainPrefix());
            f.put("requestContext.requestId", c.getRequestId());
            f.put("requestContext.routeKey", c.getRouteKey());
            f.put("requestContext.stage", c.getStage());
            f.put("requestContext.time", c.getTime());
            f.put("requestContext.timeEpoch", c.getTimeEpoch());
            var h = c.getHttp();
            if (h != null) {
                f.put("requestContext.http.method", h.getMethod());
                f.put("requestContext.http.path", h.getPath());
                f.put("requestContext.http.protocol", h.getProtocol());
                f.put("requestContext.http.sourceIp", h.getSourceIp());
                f.put("requestContext.http.userAgent", h.getUserAgent());
            }
            var a = c.getAuthorizer();
            if (a != null && a.getIam() != null) {
                var iam = a.getIam();
                f.put("requestContext.authorizer.iam.accessKey", iam.getAccessKey());
                f.put("requestContext.authorizer.iam.accountId", iam.getAccountId());
                f.put("requestContext.authorizer.iam.callerId", iam.getCallerId());
                f.put("requestContext.authorizer.iam.userArn", iam.getUserArn());
                f.put("requestContext.authorizer.iam.userId", iam.getUserId());
            }
        }
        f.put("context.awsRequestId", context.getAwsRequestId());
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(201)
                .withHeaders(Map.of("Content-Type", "application/json", "X-Handler", "UrlEventHandler"))
                .withCookies(List.of("seen=yes; Path=/"))
                .withBody(JsonText.value(new StringBuilder(), f).toString())
                .withIsBase64Encoded(false)
                .build();
    }
}
