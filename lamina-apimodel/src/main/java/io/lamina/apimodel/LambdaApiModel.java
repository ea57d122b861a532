package io.lamina.apimodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The AWS Lambda control API (REST-JSON, {@code 2015-03-31} and its dated siblings), driven by Lamina's
 * own description of it ({@code lambda-api.json}, read by {@link ModelLoader}). Its constraints mirror
 * AWS's published model of the API, with the few values where the live endpoint answers otherwise
 * marked {@code observed}.
 *
 * <p>Use: {@link #route} (or {@link #match}) a request line to an operation, {@link #bind} the request
 * to the operation's input, {@link #validate} the input. Thread-safe and immutable.
 *
 * <p>Answers AWS gives that this class leaves to the caller:
 * <ul>
 * <li>No operation has the path ({@link Routing.NotFound}): Coral's {@code UnknownOperationException},
 *     HTTP 404 (the Smithy server frameworks answer 404 with {@code X-Amzn-Errortype:
 *     UnknownOperationException} and body {@code {}}; not recorded against Lambda itself).</li>
 * <li>The path exists with other methods ({@link Routing.MethodNotAllowed}): the Smithy server
 *     frameworks answer 405 with an empty body; LocalStack answers Lambda with the 404 above instead. Not
 *     recorded against Lambda itself.</li>
 * <li>{@link BindException}: its code and status (400 {@code InvalidRequestContentException} for a body
 *     that is not JSON, 400 {@code SerializationException} for a value of the wrong type).</li>
 * <li>A non-empty {@link ValidationResult}: 400 {@code ValidationException} with
 *     {@link ValidationResult#message()}.</li>
 * </ul>
 */
public final class LambdaApiModel {

    private static final class Holder {
        static final LambdaApiModel INSTANCE = new LambdaApiModel(ModelLoader.readResource(ModelLoader.RESOURCE));
    }

    private final ObjectNode metadata;
    private final Map<String, Shape> shapes;
    private final Map<String, Operation> operations;
    private final Map<String, Set<String>> notValidated;
    private final Router router;

    /** A model of the given description (the format {@link ModelLoader} reads). */
    LambdaApiModel(JsonNode description) {
        ModelLoader.Loaded loaded = ModelLoader.load(description);
        this.metadata = loaded.metadata();
        this.shapes = loaded.shapes();
        Map<String, Operation> ops = new LinkedHashMap<>();
        loaded.operations().forEach(o -> ops.put(o.name(), o));
        this.operations = java.util.Collections.unmodifiableMap(ops);
        this.notValidated = loaded.notValidated();
        this.router = new Router(loaded.operations());
    }

    /** The description bundled with this module, loaded on first use. */
    public static LambdaApiModel load() {
        return Holder.INSTANCE;
    }

    /** The API's {@code apiVersion} and {@code protocol}, as an object (a copy). */
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }

    /** The operations, in description order. */
    public List<Operation> operations() {
        return List.copyOf(operations.values());
    }

    public Optional<Operation> operation(String name) {
        return Optional.ofNullable(operations.get(name));
    }

    public Optional<Shape> shape(String name) {
        return Optional.ofNullable(shapes.get(name));
    }

    /**
     * Resolves a request line.
     *
     * @param httpMethod the method, any case
     * @param rawPath    the raw (still percent-encoded) request target; may carry the query string, which
     *                   only matters for templates with a literal query part ({@code ?List=ALL})
     */
    public Routing route(String httpMethod, String rawPath) {
        return router.route(httpMethod, rawPath);
    }

    /**
     * The operation a request line names, with its decoded path parameters; empty when no operation
     * has the path or when it has it with another method ({@link #route} tells the two apart).
     */
    public Optional<RouteMatch> match(String httpMethod, String rawPath) {
        return route(httpMethod, rawPath) instanceof Routing.Matched m ? Optional.of(m.match()) : Optional.empty();
    }

    /**
     * Binds a request to the matched operation's input.
     *
     * @param query  the decoded query parameters, each with all its values in order
     *               ({@link #parseQuery} parses a raw query string)
     * @param header looks up one header by name, case-insensitively
     * @param body   the raw body (may be empty or {@code null})
     * @throws BindException when the body is not JSON or a value has the wrong type
     */
    public BoundInput bind(RouteMatch match, Map<String, List<String>> query,
                           Function<String, Optional<String>> header, byte[] body) {
        return Binder.bind(match, query == null ? Map.of() : query,
                header == null ? h -> Optional.empty() : header, body);
    }

    /**
     * The {@code ValidationException} message AWS answers for this input, if any. Leaves out the members
     * AWS does not check this way for the operation ({@link #notValidatedByAws}).
     */
    public Optional<String> validate(Operation op, ObjectNode input) {
        return validate(op, input, Set.of()).message();
    }

    /**
     * Validates an input.
     *
     * @param excludedPaths member paths, as AWS prints them ({@code runtime}, {@code vpcConfig.subnetIds}),
     *                      that the caller checks itself; a path also excludes what is under it. Added to
     *                      {@link #notValidatedByAws}.
     */
    public ValidationResult validate(Operation op, ObjectNode input, Set<String> excludedPaths) {
        Set<String> excluded = new HashSet<>(excludedPaths);
        excluded.addAll(notValidatedByAws(op));
        return Validator.validate(op.input().orElse(null), input, excluded);
    }

    /**
     * Member paths of the operation whose constraints AWS does not report as a
     * {@code ValidationException} (it answers them with its own error, e.g. CreateFunction's
     * {@code runtime} with {@code InvalidParameterValueException}); the operation's {@code notValidated}.
     */
    public Set<String> notValidatedByAws(Operation op) {
        return notValidated.getOrDefault(op.name(), Set.of());
    }

    /**
     * Jackson's message when {@code body} is not a single JSON value (as Lambda's own Jackson-based front
     * end words it, e.g. {@code Invalid UTF-8 start byte 0x87\n at [Source: REDACTED
     * (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 3]}), else empty. For
     * Invoke, whose payload {@link #bind} leaves alone, AWS answers 400 {@code InvalidRequestContentException}
     * {@code Could not parse request body into json: Could not parse payload into json: <this message>}.
     */
    public static Optional<String> jsonSyntaxError(byte[] body) {
        return Binder.jsonSyntaxError(body);
    }

    /** Parses a raw query string ({@code Qualifier=1&MaxItems=10}) into decoded parameters for {@link #bind}. */
    public static Map<String, List<String>> parseQuery(String rawQuery) {
        return Router.parseQuery(rawQuery);
    }
}
