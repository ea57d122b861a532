package io.lamina.benchmarks;

import io.lamina.apimodel.BoundInput;
import io.lamina.apimodel.LambdaApiModel;
import io.lamina.apimodel.RouteMatch;
import io.lamina.apimodel.Routing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The edge's share of a warm Invoke before the core sees it: route the request line by the API model,
 * bind path, query, headers and body to Invoke's input, validate it ({@code LambdaApiHandler.dispatch}
 * does exactly these three calls). Run by {@code benchmarks/run.sh} (CASES=jmh) or:
 * {@code java -cp benchmarks/target/classes:benchmarks/target/lib/* org.openjdk.jmh.Main InvokeRouteBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class InvokeRouteBenchmark {
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
    /** What the AWS CLI v2 sends with {@code lambda invoke}, less the signature headers the binder ignores. */
    private static final Map<String, String> CLI_HEADERS = Map.of(
            "x-amz-invocation-type", "RequestResponse",
            "x-amz-log-type", "None",
            "content-type", "application/json",
            "user-agent", "aws-cli/2.9.19 Python/3.11.2 Linux/6.18 source/x86_64.debian.12 prompt/off command/lambda.invoke");
    private static final Function<String, Optional<String>> HEADERS =
            name -> Optional.ofNullable(CLI_HEADERS.get(name.toLowerCase(Locale.ROOT)));

    private LambdaApiModel model;

    @Setup
    public void setup() {
        model = LambdaApiModel.load();
        // Fail early if the model stops answering the way the benchmark assumes.
        if (!(model.route("POST", "/2015-03-31/functions/bench-node/invocations") instanceof Routing.Matched m)
                || !m.match().operation().name().equals("Invoke")) {
            throw new IllegalStateException("Invoke does not route");
        }
    }

    /** Routing alone: the request line to the Invoke operation and its decoded {@code FunctionName}. */
    @Benchmark
    public Routing route() {
        return model.route("POST", "/2015-03-31/functions/bench-node/invocations");
    }

    /** Route, bind and validate an Invoke by function name, body {@code {}}: the benchmarks' warm request. */
    @Benchmark
    public Optional<String> routeBindValidateByName() {
        return routeBindValidate("/2015-03-31/functions/bench-node/invocations", null);
    }

    /** The same with a full ARN (percent-encoded colons) and a {@code Qualifier} query parameter. */
    @Benchmark
    public Optional<String> routeBindValidateByArnAndQualifier() {
        return routeBindValidate(
                "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Abench-node/invocations",
                "Qualifier=%24LATEST");
    }

    private Optional<String> routeBindValidate(String rawPath, String rawQuery) {
        RouteMatch match = ((Routing.Matched) model.route("POST", rawPath)).match();
        BoundInput bound = model.bind(match, LambdaApiModel.parseQuery(rawQuery), HEADERS, BODY);
        return model.validate(bound.operation(), bound.input());
    }
}
