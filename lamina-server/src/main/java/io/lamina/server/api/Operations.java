package io.lamina.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.core.Lamina;
import io.lamina.core.errors.ErrorType;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.EventInvokeConfigChange;
import io.lamina.core.function.FunctionRef;
import io.lamina.core.function.FunctionRegistry;
import io.lamina.core.function.FunctionSpec;
import io.lamina.core.function.FunctionVersion;
import io.lamina.core.invoke.InvocationType;
import io.lamina.core.mappings.EventSourceMapping;
import io.lamina.core.mappings.MappingChange;
import io.lamina.core.mappings.MappingRegistry;
import io.lamina.core.invoke.InvokeRequest;
import io.lamina.core.invoke.InvokeResult;
import io.lamina.core.store.CodeStore;
import io.lamina.core.urls.FunctionUrls;
import io.lamina.core.urls.UrlConfig;

import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Lambda API operations Lamina serves, by model name. Each one reads its validated input,
 * asks the core, and renders AWS's output shape; nothing here decides Lambda semantics.
 */
final class Operations {
    /** AWS's limit on a zip uploaded inline (ZipFile). */
    static final long MAX_ZIPPED_BYTES = 52_428_800L;
    static final long ACCOUNT_TOTAL_CODE_SIZE = 80_530_636_800L;

    /**
     * One call: the validated input, the raw payload (Invoke), the base URL clients reached us on and
     * the caller's {@code X-Amzn-Trace-Id}, which is not a model member.
     */
    record Call(Input input, byte[] payload, String baseUrl, Optional<String> traceId) {
    }

    private final Lamina lamina;
    private final FunctionRegistry registry;
    private final Map<String, Function<Call, ApiReply>> byName = new HashMap<>();

    Operations(Lamina lamina) {
        this.lamina = lamina;
        this.registry = lamina.registry();
        byName.put("CreateFunction", this::createFunction);
        byName.put("GetFunction", this::getFunction);
        byName.put("GetFunctionConfiguration", this::getFunctionConfiguration);
        byName.put("ListFunctions", this::listFunctions);
        byName.put("UpdateFunctionCode", this::updateFunctionCode);
        byName.put("UpdateFunctionConfiguration", this::updateFunctionConfiguration);
        byName.put("DeleteFunction", this::deleteFunction);
        byName.put("PublishVersion", this::publishVersion);
        byName.put("ListVersionsByFunction", this::listVersions);
        byName.put("CreateAlias", this::createAlias);
        byName.put("GetAlias", this::getAlias);
        byName.put("ListAliases", this::listAliases);
        byName.put("UpdateAlias", this::updateAlias);
        byName.put("DeleteAlias", this::deleteAlias);
        byName.put("PutFunctionConcurrency", this::putConcurrency);
        byName.put("GetFunctionConcurrency", this::getConcurrency);
        byName.put("DeleteFunctionConcurrency", this::deleteConcurrency);
        byName.put("AddPermission", this::addPermission);
        byName.put("RemovePermission", this::removePermission);
        byName.put("GetPolicy", this::getPolicy);
        byName.put("TagResource", this::tagResource);
        byName.put("UntagResource", this::untagResource);
        byName.put("ListTags", this::listTags);
        byName.put("GetAccountSettings", this::accountSettings);
        byName.put("PutFunctionEventInvokeConfig", this::putEventInvokeConfig);
        byName.put("UpdateFunctionEventInvokeConfig", this::updateEventInvokeConfig);
        byName.put("GetFunctionEventInvokeConfig", this::getEventInvokeConfig);
        byName.put("DeleteFunctionEventInvokeConfig", this::deleteEventInvokeConfig);
        byName.put("ListFunctionEventInvokeConfigs", this::listEventInvokeConfigs);
        // Function URLs
        byName.put("CreateFunctionUrlConfig", this::createUrlConfig);
        byName.put("GetFunctionUrlConfig", this::getUrlConfig);
        byName.put("UpdateFunctionUrlConfig", this::updateUrlConfig);
        byName.put("DeleteFunctionUrlConfig", this::deleteUrlConfig);
        byName.put("ListFunctionUrlConfigs", this::listUrlConfigs);
        byName.put("CreateEventSourceMapping", this::createMapping);
        byName.put("GetEventSourceMapping", this::getMapping);
        byName.put("ListEventSourceMappings", this::listMappings);
        byName.put("UpdateEventSourceMapping", this::updateMapping);
        byName.put("DeleteEventSourceMapping", this::deleteMapping);
        byName.put("Invoke", this::invoke);
        byName.put("InvokeAsync", this::invokeAsync);
    }

    Optional<Function<Call, ApiReply>> find(String operation) {
        return Optional.ofNullable(byName.get(operation));
    }

    // ------------------------------------------------------------------ functions

    private ApiReply createFunction(Call c) {
        Input in = c.input();
        if (in.string("PackageType").filter("Image"::equals).isPresent()) {
            throw LambdaException.invalidParameter("Lamina runs Zip functions only: PackageType Image is not supported.");
        }
        String name = FunctionRef.nameForCreate(in.required("FunctionName"), registry.arns());
        rejectLayers(in);
        byte[] zip = zipFile(in.nested("Code").orElseThrow(() -> LambdaException.invalidParameter(
                "Please provide a source for function code.")));
        FunctionVersion v = registry.create(name, spec(in), zip, in.bool("Publish"),
                in.stringMap("Tags").orElse(Map.of()));
        // Even with Publish, AWS answers with the unqualified ARN (and Version "1").
        return json(201, Render.configuration(v, registry.arns().function(v.functionName()), registry.arns(), false));
    }

    private ApiReply getFunction(Call c) {
        FunctionRef ref = ref(c.input());
        FunctionVersion v = registry.configuration(ref);
        var record = registry.record(ref.name());
        ObjectNode out = Render.JSON.createObjectNode();
        ObjectNode code = out.putObject("Code");
        code.put("Location", c.baseUrl() + "/_lamina/code/" + v.codeKey() + ".zip");
        code.put("RepositoryType", "S3");
        out.set("Configuration", Render.configuration(v, registry.arnOf(ref), registry.arns(), false));
        if (ref.qualifier().isEmpty() && !record.tags().isEmpty()) {
            ObjectNode tags = out.putObject("Tags");
            record.tags().forEach(tags::put);
        }
        record.reservedConcurrency().ifPresent(r -> out.putObject("Concurrency").put("ReservedConcurrentExecutions", r));
        return json(200, out);
    }

    private ApiReply getFunctionConfiguration(Call c) {
        FunctionRef ref = ref(c.input());
        return json(200, Render.configuration(registry.configuration(ref), registry.arnOf(ref), registry.arns(), false));
    }

    private ApiReply listFunctions(Call c) {
        boolean all = c.input().string("FunctionVersion").filter("ALL"::equals).isPresent();
        List<FunctionVersion> versions = registry.list(all);
        ObjectNode out = Render.JSON.createObjectNode();
        var page = Paging.page(versions, c.input(), Paging.MAX_FUNCTIONS_PER_PAGE,
                v -> v.functionName() + "\u0000" + FunctionRegistry.sortKey(v));
        var arr = out.putArray("Functions");
        // With FunctionVersion=ALL every entry is qualified, $LATEST too; otherwise the ARNs are unqualified.
        page.items().forEach(v -> arr.add(Render.configuration(v, all
                ? registry.arns().function(v.functionName(), v.version())
                : registry.arns().function(v.functionName()), registry.arns(), true)));
        page.nextMarker().ifPresent(m -> out.put("NextMarker", m));
        return json(200, out);
    }

    private ApiReply updateFunctionCode(Call c) {
        Input in = c.input();
        byte[] zip = zipFile(in);
        FunctionRef ref = ref(in);
        FunctionVersion v = registry.updateCode(ref, zip, in.bool("Publish"), in.string("RevisionId"));
        String arn = v.isLatest() ? registry.arns().function(v.functionName())
                : registry.arns().function(v.functionName(), v.version());
        return json(200, Render.configuration(v, arn, registry.arns(), false));
    }

    private ApiReply updateFunctionConfiguration(Call c) {
        Input in = c.input();
        rejectLayers(in);
        FunctionVersion v = registry.updateConfiguration(ref(in), spec(in), in.string("RevisionId"));
        return json(200, Render.configuration(v, registry.arns().function(v.functionName()), registry.arns(), false));
    }

    private ApiReply deleteFunction(Call c) {
        registry.delete(ref(c.input()));
        return ApiReply.noContent();
    }

    // ------------------------------------------------------------------ versions and aliases

    private ApiReply publishVersion(Call c) {
        Input in = c.input();
        FunctionVersion v = registry.publishVersion(ref(in).requireUnqualifiedForUpdate(), in.string("CodeSha256"),
                in.string("Description"), in.string("RevisionId"));
        return json(201, Render.configuration(v, registry.arns().function(v.functionName(), v.version()),
                registry.arns(), false));
    }

    private ApiReply listVersions(Call c) {
        List<FunctionVersion> versions = registry.listVersions(ref(c.input()));
        ObjectNode out = Render.JSON.createObjectNode();
        var page = Paging.page(versions, c.input(), Paging.MAX_FUNCTIONS_PER_PAGE, FunctionRegistry::sortKey);
        var arr = out.putArray("Versions");
        page.items().forEach(v -> arr.add(Render.configuration(v,
                registry.arns().function(v.functionName(), v.version()), registry.arns(), true)));
        page.nextMarker().ifPresent(m -> out.put("NextMarker", m));
        return json(200, out);
    }

    private ApiReply createAlias(Call c) {
        Input in = c.input();
        FunctionRef ref = ref(in);
        var alias = registry.createAlias(ref, in.required("Name"), in.required("FunctionVersion"),
                in.string("Description").orElse(""), weights(in).orElse(Map.of()));
        return json(201, Render.alias(alias, ref.name(), registry.arns()));
    }

    private ApiReply getAlias(Call c) {
        FunctionRef ref = ref(c.input());
        return json(200, Render.alias(registry.alias(ref, c.input().required("Name")), ref.name(), registry.arns()));
    }

    private ApiReply listAliases(Call c) {
        FunctionRef ref = ref(c.input());
        var aliases = registry.aliases(ref, c.input().string("FunctionVersion"));
        ObjectNode out = Render.JSON.createObjectNode();
        var page = Paging.page(aliases, c.input(), Paging.MAX_ALIASES_PER_PAGE, a -> a.name());
        var arr = out.putArray("Aliases");
        page.items().forEach(a -> arr.add(Render.alias(a, ref.name(), registry.arns())));
        page.nextMarker().ifPresent(m -> out.put("NextMarker", m));
        return json(200, out);
    }

    private ApiReply updateAlias(Call c) {
        Input in = c.input();
        FunctionRef ref = ref(in);
        var alias = registry.updateAlias(ref, in.required("Name"), in.string("FunctionVersion"),
                in.string("Description"), weights(in), in.string("RevisionId"));
        return json(200, Render.alias(alias, ref.name(), registry.arns()));
    }

    private ApiReply deleteAlias(Call c) {
        registry.deleteAlias(ref(c.input()), c.input().required("Name"));
        return ApiReply.noContent();
    }

    private static Optional<Map<String, Double>> weights(Input in) {
        return in.nested("RoutingConfig").flatMap(rc -> rc.object("AdditionalVersionWeights")).map(o -> {
            var m = new LinkedHashMap<String, Double>();
            o.properties().forEach(e -> m.put(e.getKey(), e.getValue().asDouble()));
            return m;
        });
    }

    // ------------------------------------------------------------------ concurrency

    private ApiReply putConcurrency(Call c) {
        int n = registry.putReservedConcurrency(ref(c.input()), c.input().integer("ReservedConcurrentExecutions").orElseThrow());
        return json(200, Render.JSON.createObjectNode().put("ReservedConcurrentExecutions", n));
    }

    private ApiReply getConcurrency(Call c) {
        ObjectNode out = Render.JSON.createObjectNode();
        registry.reservedConcurrency(ref(c.input())).ifPresent(n -> out.put("ReservedConcurrentExecutions", n));
        return json(200, out);
    }

    private ApiReply deleteConcurrency(Call c) {
        registry.deleteReservedConcurrency(ref(c.input()));
        return ApiReply.noContent();
    }

    // ------------------------------------------------------------------ permissions

    private ApiReply addPermission(Call c) {
        Input in = c.input();
        var p = new FunctionRegistry.PermissionRequest(in.required("StatementId"), in.required("Action"),
                in.required("Principal"), in.string("SourceArn"), in.string("SourceAccount"),
                in.string("EventSourceToken"), in.string("PrincipalOrgID"), in.string("FunctionUrlAuthType"),
                in.string("RevisionId"));
        String statement = registry.addPermission(ref(in), p);
        return json(201, Render.JSON.createObjectNode().put("Statement", statement));
    }

    private ApiReply removePermission(Call c) {
        registry.removePermission(ref(c.input()), c.input().required("StatementId"), c.input().string("RevisionId"));
        return ApiReply.noContent();
    }

    private ApiReply getPolicy(Call c) {
        var policy = registry.policy(ref(c.input()));
        ObjectNode out = Render.JSON.createObjectNode();
        out.put("Policy", policy.getKey());
        out.put("RevisionId", policy.getValue());
        return json(200, out);
    }

    // ------------------------------------------------------------------ tags and account

    private ApiReply tagResource(Call c) {
        String resource = c.input().required("Resource");
        var tags = c.input().stringMap("Tags").orElse(Map.of());
        if (MappingRegistry.isMappingArn(resource)) {
            lamina.mappings().tag(resource, tags);
        } else {
            registry.tag(resource, tags);
        }
        return ApiReply.noContent();
    }

    private ApiReply untagResource(Call c) {
        String resource = c.input().required("Resource");
        var keys = c.input().stringList("TagKeys").orElse(List.<String>of());
        if (MappingRegistry.isMappingArn(resource)) {
            lamina.mappings().untag(resource, keys);
        } else {
            registry.untag(resource, keys);
        }
        return ApiReply.noContent();
    }

    private ApiReply listTags(Call c) {
        String resource = c.input().required("Resource");
        ObjectNode out = Render.JSON.createObjectNode();
        ObjectNode tags = out.putObject("Tags");
        (MappingRegistry.isMappingArn(resource) ? lamina.mappings().tags(resource) : registry.tags(resource))
                .forEach(tags::put);
        return json(200, out);
    }

    private ApiReply accountSettings(Call c) {
        ObjectNode out = Render.JSON.createObjectNode();
        ObjectNode limit = out.putObject("AccountLimit");
        limit.put("TotalCodeSize", ACCOUNT_TOTAL_CODE_SIZE);
        limit.put("CodeSizeUnzipped", CodeStore.MAX_UNZIPPED_BYTES);
        limit.put("CodeSizeZipped", MAX_ZIPPED_BYTES);
        limit.put("ConcurrentExecutions", lamina.config().accountConcurrency());
        limit.put("UnreservedConcurrentExecutions", lamina.limiter().unreservedLimit());
        ObjectNode usage = out.putObject("AccountUsage");
        usage.put("TotalCodeSize", registry.totalCodeSize());
        usage.put("FunctionCount", registry.functionCount());
        return json(200, out);
    }

    // ------------------------------------------------------------------ event invoke configs

    private ApiReply putEventInvokeConfig(Call c) {
        FunctionRef ref = ref(c.input());
        var config = registry.putEventInvokeConfig(ref, eventInvokeConfigChange(c.input()));
        return json(200, Render.eventInvokeConfig(config, eventInvokeConfigArn(ref)));
    }

    private ApiReply updateEventInvokeConfig(Call c) {
        FunctionRef ref = ref(c.input());
        var config = registry.updateEventInvokeConfig(ref, eventInvokeConfigChange(c.input()));
        return json(200, Render.eventInvokeConfig(config, eventInvokeConfigArn(ref)));
    }

    private ApiReply getEventInvokeConfig(Call c) {
        FunctionRef ref = ref(c.input());
        return json(200, Render.eventInvokeConfig(registry.getEventInvokeConfig(ref), eventInvokeConfigArn(ref)));
    }

    private ApiReply deleteEventInvokeConfig(Call c) {
        registry.deleteEventInvokeConfig(ref(c.input()));
        return ApiReply.noContent();
    }

    private ApiReply listEventInvokeConfigs(Call c) {
        FunctionRef ref = ref(c.input());
        var configs = registry.eventInvokeConfigs(ref);
        ObjectNode out = Render.JSON.createObjectNode();
        var page = Paging.page(configs, c.input(), Paging.MAX_EVENT_INVOKE_CONFIGS_PER_PAGE,
                e -> FunctionRegistry.eventInvokeConfigSortKey(e.getKey()));
        var arr = out.putArray("FunctionEventInvokeConfigs");
        page.items().forEach(e -> arr.add(Render.eventInvokeConfig(e.getValue(),
                registry.arns().function(ref.name(), e.getKey()))));
        page.nextMarker().ifPresent(m -> out.put("NextMarker", m));
        return json(200, out);
    }

    /** The configuration's FunctionArn is always qualified: {@code :$LATEST} when the caller gave no qualifier. */
    private String eventInvokeConfigArn(FunctionRef ref) {
        return registry.arns().function(ref.name(), ref.qualifier().orElse(FunctionVersion.LATEST));
    }

    private static EventInvokeConfigChange eventInvokeConfigChange(Input in) {
        var destinations = in.nested("DestinationConfig").map(d -> new EventInvokeConfigChange.Destinations(
                d.nested("OnSuccess").map(o -> new EventInvokeConfigChange.Destination(o.string("Destination"))),
                d.nested("OnFailure").map(o -> new EventInvokeConfigChange.Destination(o.string("Destination")))));
        return new EventInvokeConfigChange(in.integer("MaximumRetryAttempts"), in.integer("MaximumEventAgeInSeconds"),
                destinations);
    }

    // ------------------------------------------------------------------ function URLs

    private ApiReply createUrlConfig(Call c) {
        FunctionRef ref = ref(c.input());
        var config = lamina.urls().create(ref, urlChange(c.input()));
        return json(201, Render.urlConfig(config, lamina.urls().arn(config), c.baseUrl(), registry.arns(),
                Render.UrlAnswer.CREATE));
    }

    private ApiReply getUrlConfig(Call c) {
        var config = lamina.urls().get(ref(c.input()));
        return json(200, Render.urlConfig(config, lamina.urls().arn(config), c.baseUrl(), registry.arns(),
                Render.UrlAnswer.READ));
    }

    private ApiReply updateUrlConfig(Call c) {
        var config = lamina.urls().update(ref(c.input()), urlChange(c.input()));
        return json(200, Render.urlConfig(config, lamina.urls().arn(config), c.baseUrl(), registry.arns(),
                Render.UrlAnswer.UPDATE));
    }

    private ApiReply deleteUrlConfig(Call c) {
        lamina.urls().delete(ref(c.input()));
        return ApiReply.noContent();
    }

    private ApiReply listUrlConfigs(Call c) {
        var all = lamina.urls().list(ref(c.input()));
        var page = Paging.page(all, c.input(), Paging.MAX_URL_CONFIGS_PER_PAGE, UrlConfig::sortKey);
        ObjectNode out = Render.JSON.createObjectNode();
        var arr = out.putArray("FunctionUrlConfigs");
        page.items().forEach(u -> arr.add(Render.urlConfig(u, lamina.urls().arn(u), c.baseUrl(), registry.arns(),
                Render.UrlAnswer.READ)));
        page.nextMarker().ifPresent(m -> out.put("NextMarker", m));
        return json(200, out);
    }

    private static FunctionUrls.Change urlChange(Input in) {
        return new FunctionUrls.Change(
                in.string("AuthType").map(UrlConfig.AuthType::valueOf),
                in.nested("Cors").map(cors -> new UrlConfig.Cors(
                        Optional.ofNullable(cors.node().get("AllowCredentials")).filter(n -> n.isBoolean())
                                .map(n -> n.asBoolean()),
                        cors.stringList("AllowHeaders"),
                        cors.stringList("AllowMethods"),
                        cors.stringList("AllowOrigins"),
                        cors.stringList("ExposeHeaders"),
                        cors.integer("MaxAge"))),
                in.string("InvokeMode").map(UrlConfig.InvokeMode::valueOf));
    }

    // ------------------------------------------------------------------ invoke

    private ApiReply invoke(Call c) {
        Input in = c.input();
        InvocationType type = in.string("InvocationType").map(InvocationType::valueOf).orElse(InvocationType.RequestResponse);
        var req = new InvokeRequest(in.required("FunctionName"), in.string("Qualifier"), type, c.payload(),
                in.string("LogType").filter("Tail"::equals).isPresent(), in.string("ClientContext"), c.traceId());
        return invokeReply(lamina.invoker().invoke(req));
    }

    static ApiReply invokeReply(InvokeResult r) {
        var headers = new LinkedHashMap<String, String>();
        // AWS reports the executed version only when the function ran synchronously.
        if (r.status() == 200) {
            headers.put("X-Amz-Executed-Version", r.executedVersion());
        }
        r.functionError().ifPresent(e -> headers.put("X-Amz-Function-Error", e));
        r.logResult().ifPresent(l -> headers.put("X-Amz-Log-Result", l));
        headers.put("x-amzn-RequestId", r.requestId());
        return new ApiReply(r.status(), r.payload(), headers);
    }

    /** The legacy {@code InvokeAsync}: 202 and {@code {"Status":202}}. */
    private ApiReply invokeAsync(Call c) {
        var req = new InvokeRequest(c.input().required("FunctionName"), Optional.empty(), InvocationType.Event,
                c.payload(), false, Optional.empty(), Optional.empty());
        InvokeResult r = lamina.invoker().invoke(req);
        return new ApiReply(202, "{\"Status\":202}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("x-amzn-RequestId", r.requestId()));
    }

    // ------------------------------------------------------------------ event source mappings

    private ApiReply createMapping(Call c) {
        var m = lamina.mappings().create(mappingChange(c.input()), c.input().stringMap("Tags").orElse(Map.of()));
        return json(202, Render.mapping(m));
    }

    private ApiReply getMapping(Call c) {
        return json(200, Render.mapping(lamina.mappings().get(c.input().required("UUID"))));
    }

    private ApiReply listMappings(Call c) {
        Input in = c.input();
        var all = lamina.mappings().list(in.string("EventSourceArn"), in.string("FunctionName"));
        var page = Paging.page(all, in, Paging.MAX_MAPPINGS_PER_PAGE, m -> m.uuid());
        ObjectNode out = Render.JSON.createObjectNode();
        var arr = out.putArray("EventSourceMappings");
        page.items().forEach(m -> arr.add(Render.mapping(m)));
        page.nextMarker().ifPresent(m -> out.put("NextMarker", m));
        return json(200, out);
    }

    private ApiReply updateMapping(Call c) {
        return json(202, Render.mapping(lamina.mappings().update(c.input().required("UUID"), mappingChange(c.input()))));
    }

    private ApiReply deleteMapping(Call c) {
        return json(202, Render.mapping(lamina.mappings().delete(c.input().required("UUID"))));
    }

    private static MappingChange mappingChange(Input in) {
        Optional<Input> destination = in.nested("DestinationConfig");
        return new MappingChange(
                in.string("FunctionName"),
                in.string("EventSourceArn"),
                in.nested("SelfManagedEventSource").flatMap(s -> s.nested("Endpoints"))
                        .flatMap(e -> e.stringList("KAFKA_BOOTSTRAP_SERVERS")),
                in.integer("BatchSize"),
                in.integer("MaximumBatchingWindowInSeconds"),
                in.string("StartingPosition"),
                Optional.ofNullable(in.node().get("StartingPositionTimestamp")).filter(n -> n.isNumber())
                        .map(n -> n.asDouble()),
                in.nested("FilterCriteria").map(f -> {
                    var patterns = new java.util.ArrayList<String>();
                    Optional.ofNullable(f.node().get("Filters")).ifPresent(list -> list.forEach(filter ->
                            Optional.ofNullable(filter.get("Pattern")).ifPresent(p -> patterns.add(p.asText()))));
                    return patterns;
                }),
                destination.flatMap(d -> d.nested("OnFailure")).flatMap(o -> o.string("Destination")),
                in.stringList("Topics"),
                in.stringList("Queues"),
                Optional.ofNullable(in.node().get("SourceAccessConfigurations")).filter(n -> n.isArray()).map(list -> {
                    var out = new java.util.ArrayList<EventSourceMapping.SourceAccess>();
                    list.forEach(a -> out.add(new EventSourceMapping.SourceAccess(a.path("Type").asText(),
                            a.path("URI").asText())));
                    return out;
                }),
                in.nested("SelfManagedKafkaEventSourceConfig").or(() -> in.nested("AmazonManagedKafkaEventSourceConfig"))
                        .flatMap(k -> k.string("ConsumerGroupId")),
                in.nested("ScalingConfig").flatMap(s -> s.integer("MaximumConcurrency")),
                in.stringList("FunctionResponseTypes"),
                in.integer("MaximumRetryAttempts"),
                in.integer("MaximumRecordAgeInSeconds"),
                Optional.ofNullable(in.node().get("BisectBatchOnFunctionError")).map(n -> n.asBoolean()),
                in.integer("ParallelizationFactor"),
                in.integer("TumblingWindowInSeconds"),
                Optional.ofNullable(in.node().get("Enabled")).map(n -> n.asBoolean()),
                Optional.of(destination.isPresent()));
    }

    // ------------------------------------------------------------------ helpers

    private FunctionRef ref(Input in) {
        return FunctionRef.parse(in.required("FunctionName"), in.string("Qualifier"), registry.arns());
    }

    private static FunctionSpec spec(Input in) {
        return new FunctionSpec(
                in.string("Runtime"),
                in.string("Handler"),
                in.string("Role"),
                in.integer("MemorySize"),
                in.integer("Timeout"),
                in.string("Description"),
                in.nested("Environment").map(e -> e.stringMap("Variables").orElse(Map.of())),
                in.stringList("Architectures"),
                in.nested("EphemeralStorage").flatMap(e -> e.integer("Size")),
                in.nested("TracingConfig").flatMap(t -> t.string("Mode")),
                in.nested("LoggingConfig").flatMap(l -> l.string("LogFormat")),
                in.nested("LoggingConfig").flatMap(l -> l.string("LogGroup")),
                // DeadLetterConfig {} leaves the queue as it is (AWS's recorded answer); TargetArn "" removes it.
                in.nested("DeadLetterConfig").flatMap(d -> d.string("TargetArn")));
    }

    /** Lamina has no layers: any layer a function names does not exist, in AWS's words. */
    private static void rejectLayers(Input in) {
        in.stringList("Layers").filter(l -> !l.isEmpty()).ifPresent(l -> {
            throw LambdaException.invalidParameter("Layer version " + l.get(0) + " does not exist.");
        });
    }

    private static byte[] zipFile(Input code) {
        if (code.string("S3Bucket").isPresent() || code.string("S3Key").isPresent()
                || code.string("S3ObjectVersion").isPresent()) {
            throw LambdaException.invalidParameter("Lamina does not support S3 code locations (S3Bucket, S3Key, "
                    + "S3ObjectVersion): upload the deployment package as ZipFile.");
        }
        if (code.string("ImageUri").isPresent()) {
            throw LambdaException.invalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.");
        }
        String b64 = code.string("ZipFile").orElseThrow(() -> LambdaException.invalidParameter(
                "Please provide a source for function code."));
        byte[] zip;
        try {
            zip = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw LambdaException.invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.");
        }
        if (zip.length > MAX_ZIPPED_BYTES) {
            throw new LambdaException(ErrorType.RequestEntityTooLargeException,
                    "Zipped size must be smaller than " + MAX_ZIPPED_BYTES + " bytes");
        }
        return zip;
    }

    private static ApiReply json(int status, ObjectNode body) {
        return ApiReply.json(status, body.toString());
    }
}
