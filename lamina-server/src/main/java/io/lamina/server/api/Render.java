package io.lamina.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.core.function.Alias;
import io.lamina.core.function.Arns;
import io.lamina.core.function.EventInvokeConfig;
import io.lamina.core.function.FunctionVersion;
import io.lamina.core.mappings.EventSourceMapping;
import io.lamina.core.mappings.SourceKind;

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

    /**
     * {@code EventSourceMappingConfiguration}: the members AWS reports for the mapping's kind, field for
     * field as recorded (streams always carry DestinationConfig.OnFailure, empty when unset; self-managed
     * Kafka was recorded without EventSourceMappingArn).
     */
    static ObjectNode mapping(EventSourceMapping m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("BatchSize", m.batchSize());
        m.bisectBatchOnFunctionError().ifPresent(b -> o.put("BisectBatchOnFunctionError", b));
        if (m.kind().stream() || m.onFailureDestination().isPresent()) {
            ObjectNode onFailure = o.putObject("DestinationConfig").putObject("OnFailure");
            m.onFailureDestination().ifPresent(d -> onFailure.put("Destination", d));
        }
        m.eventSourceArn().ifPresent(a -> o.put("EventSourceArn", a));
        if (m.kind() != SourceKind.SELF_MANAGED_KAFKA) {
            o.put("EventSourceMappingArn", m.eventSourceMappingArn());
        }
        if (!m.filterPatterns().isEmpty()) {
            var filters = o.putObject("FilterCriteria").putArray("Filters");
            m.filterPatterns().forEach(p -> filters.addObject().put("Pattern", p));
        }
        o.put("FunctionArn", m.functionArn());
        if (m.kind() == SourceKind.SQS || m.kind().stream()) {
            var types = o.putArray("FunctionResponseTypes");
            m.functionResponseTypes().forEach(types::add);
        }
        o.put("LastModified", BigDecimal.valueOf(m.lastModifiedEpochMs(), 3));
        // Recorded for streams and Kafka, documented for every mapping (API_EventSourceMappingConfiguration), so
        // Amazon MQ's too; AWS's SQS answers carry no LastProcessingResult.
        if (m.kind().stream() || m.kind().kafka() || m.kind() == SourceKind.MQ) {
            o.put("LastProcessingResult", m.lastProcessingResult());
        }
        m.maximumBatchingWindowInSeconds().ifPresent(n -> o.put("MaximumBatchingWindowInSeconds", n));
        m.maximumRecordAgeInSeconds().ifPresent(n -> o.put("MaximumRecordAgeInSeconds", n));
        m.maximumRetryAttempts().ifPresent(n -> o.put("MaximumRetryAttempts", n));
        m.parallelizationFactor().ifPresent(n -> o.put("ParallelizationFactor", n));
        if (!m.queues().isEmpty()) {
            var queues = o.putArray("Queues");
            m.queues().forEach(queues::add);
        }
        m.maximumConcurrency().ifPresent(n -> o.putObject("ScalingConfig").put("MaximumConcurrency", n));
        if (m.kind() == SourceKind.SELF_MANAGED_KAFKA) {
            var servers = o.putObject("SelfManagedEventSource").putObject("Endpoints").putArray("KAFKA_BOOTSTRAP_SERVERS");
            m.kafkaBootstrapServers().forEach(servers::add);
            m.consumerGroupId().ifPresent(g -> o.putObject("SelfManagedKafkaEventSourceConfig").put("ConsumerGroupId", g));
        }
        if (m.kind() == SourceKind.MSK) {
            m.consumerGroupId().ifPresent(g -> o.putObject("AmazonManagedKafkaEventSourceConfig").put("ConsumerGroupId", g));
        }
        if (!m.sourceAccessConfigurations().isEmpty()) {
            var access = o.putArray("SourceAccessConfigurations");
            m.sourceAccessConfigurations().forEach(a -> access.addObject().put("Type", a.type()).put("URI", a.uri()));
        }
        m.startingPosition().ifPresent(p -> o.put("StartingPosition", p));
        m.startingPositionTimestamp().ifPresent(t -> o.put("StartingPositionTimestamp", t));
        o.put("State", m.state().name());
        o.put("StateTransitionReason", m.stateTransitionReason());
        if (!m.topics().isEmpty()) {
            var topics = o.putArray("Topics");
            m.topics().forEach(topics::add);
        }
        m.tumblingWindowInSeconds().ifPresent(n -> o.put("TumblingWindowInSeconds", n));
        o.put("UUID", m.uuid());
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

    /**
     * {@code FunctionUrlConfig}. Create and Update answers carry {@code InvokeMode} only
     * when it was ever set and no {@code LastModifiedTime} on Create; Get and List always report the mode.
     *
     * @param baseUrl how the caller reached Lamina; the URL's port is that one
     */
    enum UrlAnswer { CREATE, UPDATE, READ }

    static ObjectNode urlConfig(io.lamina.core.urls.UrlConfig c, String functionArn, String baseUrl, Arns arns,
                                UrlAnswer answer) {
        ObjectNode o = JSON.createObjectNode();
        o.put("AuthType", c.authType().name());
        c.cors().ifPresent(cors -> {
            ObjectNode n = o.putObject("Cors");
            cors.allowCredentials().ifPresent(v -> n.put("AllowCredentials", v));
            cors.allowHeaders().ifPresent(l -> l.forEach(n.putArray("AllowHeaders")::add));
            cors.allowMethods().ifPresent(l -> l.forEach(n.putArray("AllowMethods")::add));
            cors.allowOrigins().ifPresent(l -> l.forEach(n.putArray("AllowOrigins")::add));
            cors.exposeHeaders().ifPresent(l -> l.forEach(n.putArray("ExposeHeaders")::add));
            cors.maxAge().ifPresent(v -> n.put("MaxAge", v));
        });
        o.put("CreationTime", c.creationTime());
        o.put("FunctionArn", functionArn);
        o.put("FunctionUrl", functionUrl(c.urlId(), arns.region(), baseUrl));
        if (answer == UrlAnswer.READ) {
            o.put("InvokeMode", c.effectiveInvokeMode().name());
        } else {
            c.invokeMode().ifPresent(m -> o.put("InvokeMode", m.name()));
        }
        if (answer != UrlAnswer.CREATE) {
            o.put("LastModifiedTime", c.lastModifiedTime());
        }
        return o;
    }

    /** {@code http://<url-id>.lambda-url.<region>.localhost:<port>/}: curl and browsers resolve {@code *.localhost} to loopback. */
    static String functionUrl(String urlId, String region, String baseUrl) {
        String port = "";
        int colon = baseUrl.lastIndexOf(':');
        if (colon > "http://".length() && baseUrl.substring(colon + 1).matches("\\d+")) {
            port = baseUrl.substring(colon);
        }
        return "http://" + urlId + ".lambda-url." + region + ".localhost" + port + "/";
    }
}
