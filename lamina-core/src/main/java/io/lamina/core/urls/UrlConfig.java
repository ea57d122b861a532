package io.lamina.core.urls;

import java.util.List;
import java.util.Optional;

/**
 * One function URL: which function (unqualified, or one alias) it invokes, how callers authenticate,
 * its CORS settings and invoke mode. Immutable; {@link FunctionUrls} swaps whole values.
 *
 * @param urlId      the 32-character id that names the URL (its host's first label), never reused
 * @param qualifier  an alias name, or empty for the unqualified function
 * @param invokeMode empty when the caller never set one: AWS then reports BUFFERED on Get/List but
 *                   leaves the member out of Create/Update answers
 */
public record UrlConfig(String urlId, String functionName, Optional<String> qualifier, AuthType authType,
                        Optional<Cors> cors, Optional<InvokeMode> invokeMode, String creationTime,
                        String lastModifiedTime) {

    public enum AuthType { NONE, AWS_IAM }

    public enum InvokeMode { BUFFERED, RESPONSE_STREAM }

    /** The URL's CORS settings; absent lists and values are left out of answers, as AWS does. */
    public record Cors(Optional<Boolean> allowCredentials, Optional<List<String>> allowHeaders,
                       Optional<List<String>> allowMethods, Optional<List<String>> allowOrigins,
                       Optional<List<String>> exposeHeaders, Optional<Integer> maxAge) {
    }

    public InvokeMode effectiveInvokeMode() {
        return invokeMode.orElse(InvokeMode.BUFFERED);
    }

    /** The order ListFunctionUrlConfigs answers in and pages by: the unqualified URL, then aliases by name. */
    public String sortKey() {
        return qualifier.orElse("");
    }

    UrlConfig with(AuthType newAuth, Optional<Cors> newCors, Optional<InvokeMode> newMode, String modified) {
        return new UrlConfig(urlId, functionName, qualifier, newAuth, newCors, newMode, creationTime, modified);
    }
}
