package io.lamina.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.core.function.Alias;
import io.lamina.core.function.Arns;
import io.lamina.core.function.EventInvokeConfig;
import io.lamina.core.function.FunctionVersion;

import java.math.BigDecimal;

/** JSON shapes of the Lambda API's outputs, field for field as AWS returns them. */
final class Render {
    static final ObjectMapper JSON = new ObjectMapper();

    private Render() {
    }

    /** {@code FunctionConfiguration}; {@code listing} drops what ListFunctions / ListVersionsByFunction omit. */
    static ObjectNode configuration(FunctionVersion v, String functionArn, Arns arns, boolean listing) {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("Architectures").addAll(v.architectures().stream().map(JSON.getNodeFactory()::textNode).toList());
        o.put("CodeSha256", v.codeSha256());
        o.put("CodeSize", v.codeSize());
        v.deadLetterTargetArn().ifPresent(arn -> o.putObject("DeadLetterConfig").put("TargetArn", arn));
        o.put("Description", v.description());
        v.environment().ifPresent(env -> {
            ObjectNode vars = o.putObject("Environment").putObject("Variables");
            env.forEach(vars::put);
        });
        o.putObject("EphemeralStorage").put("Size", v.ephemeralStorageSize());
        o.put("FunctionArn", functionArn);
        o.put("FunctionName", v.functionName());
        o.put("Handler", v.handler());
        o.put("LastModified", v.lastModified());
        if (!listing) {
            v.lastUpdateStatus().ifPresent(s -> o.put("LastUpdateStatus", s.name()));
            v.lastUpdateStatusReason().ifPresent(s -> o.put("LastUpdateStatusReason", s));
            v.lastUpdateStatusReasonCode().ifPresent(s -> o.put("LastUpdateStatusReasonCode", s));
        }
        ObjectNode logging = o.putObject("LoggingConfig");
        logging.put("LogFormat", v.logFormat());
        logging.put("LogGroup", v.logGroup());
        o.put("MemorySize", v.memorySize());
        o.put("PackageType", "Zip");
        o.put("RevisionId", v.revisionId());
        o.put("Role", v.role());
        o.put("Runtime", v.runtime());
        if (!listing) {
            o.putObject("RuntimeVersionConfig").put("RuntimeVersionArn", arns.runtimeVersion(v.runtime()));
        }
        ObjectNode snap = o.putObject("SnapStart");
        snap.put("ApplyOn", "None");
        snap.put("OptimizationStatus", "Off");
        if (!listing) {
            o.put("State", v.state().name());
            v.stateReason().ifPresent(s -> o.put("StateReason", s));
            v.stateReasonCode().ifPresent(s -> o.put("StateReasonCode", s));
        }
        o.put("Timeout", v.timeout());
        o.putObject("TracingConfig").put("Mode", v.tracingMode());
        o.put("Version", v.version());
        return o;
    }

    /**
     * {@code FunctionEventInvokeConfig}: members never set are left out, but DestinationConfig always
     * carries OnSuccess and OnFailure, empty objects when unset (AWS's recorded answers). LastModified is
     * a {@code Timestamp}, which REST-JSON sends as epoch seconds with the milliseconds as fraction.
     */
    static ObjectNode eventInvokeConfig(EventInvokeConfig c, String functionArn) {
        ObjectNode o = JSON.createObjectNode();
        o.put("LastModified", BigDecimal.valueOf(c.lastModifiedEpochMs(), 3));
        o.put("FunctionArn", functionArn);
        c.maximumRetryAttempts().ifPresent(n -> o.put("MaximumRetryAttempts", n));
        c.maximumEventAgeInSeconds().ifPresent(n -> o.put("MaximumEventAgeInSeconds", n));
        ObjectNode destinations = o.putObject("DestinationConfig");
        ObjectNode onSuccess = destinations.putObject("OnSuccess");
        c.onSuccess().ifPresent(arn -> onSuccess.put("Destination", arn));
        ObjectNode onFailure = destinations.putObject("OnFailure");
        c.onFailure().ifPresent(arn -> onFailure.put("Destination", arn));
        return o;
    }

    static ObjectNode alias(Alias a, String functionName, Arns arns) {
        ObjectNode o = JSON.createObjectNode();
        o.put("AliasArn", arns.function(functionName, a.name()));
        o.put("Description", a.description());
        o.put("FunctionVersion", a.functionVersion());
        o.put("Name", a.name());
        o.put("RevisionId", a.revisionId());
        if (!a.additionalVersionWeights().isEmpty()) {
            ObjectNode w = o.putObject("RoutingConfig").putObject("AdditionalVersionWeights");
            a.additionalVersionWeights().forEach(w::put);
        }
        return o;
    }

    /** {@code GET /_lamina/async}: the async queue per function, for {@code lamina async status}. */
    static String asyncStatus(java.util.List<io.lamina.core.async.AsyncStatus> status) {
        ObjectNode out = JSON.createObjectNode();
        var arr = out.putArray("Functions");
        for (var s : status) {
            arr.addObject()
                    .put("FunctionName", s.functionName())
                    .put("Queued", s.queued())
                    .put("InFlight", s.inFlight())
                    .put("Delivering", s.delivering())
                    .put("Retried", s.retried())
                    .put("Throttled", s.throttled())
                    .put("Succeeded", s.succeeded())
                    .put("Failed", s.failed())
                    .put("Dropped", s.dropped());
        }
        return out.toString();
    }
}
