package io.lamina.it.api;

import io.lamina.core.LaminaConfig;
import io.lamina.it.Functions;
import io.lamina.it.LaminaFixture;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
/**
 * What the control-API tests share: a Lamina in the recorded tests' account (111111111111, so ARNs
 * compare literally with AWS's recordings), function packages like LocalStack's, and waiting the way
 * the SDK waiters do, only faster.
 */
final class ApiTestSupport {
    static final String ACCOUNT = Snapshot.ACCOUNT;
    static final String REGION = Snapshot.REGION;
    static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/lambda-role";
    static final String ARN_PREFIX = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:";

    /** LocalStack's lambda_echo.py stand-in. */
    static final byte[] ECHO_ZIP = Functions.python("def handler(event, context):\n    return event\n");
    /** A second, different package (LocalStack's lambda_python_version.py stand-in). */
    static final byte[] VERSION_ZIP = Functions.python(
            "import sys\n\ndef handler(event, context):\n    return {'version': sys.version}\n");

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private ApiTestSupport() {
    }

    static LaminaFixture start() {
        return LaminaFixture.start(ApiTestSupport::inRecordedAccount);
    }

    static LaminaFixture startOn(Path dataDir) {
        // LaminaFixture.startOn uses the default account; restart in ours instead.
        return LaminaFixture.start(c -> inRecordedAccount(c).withDataDir(dataDir));
    }

    static LaminaConfig inRecordedAccount(LaminaConfig c) {
        return new LaminaConfig(c.host(), c.port(), c.dataDir(), REGION, ACCOUNT, c.accountConcurrency(),
                c.minimumUnreservedConcurrency(), c.environmentIdleTimeout(), c.initTimeout(), c.nodeCommand(),
                c.pythonCommand(), c.javaHome(), c.async(), c.serviceEndpoints(), c.sources(),
                c.albListeners());
    }

    /** A fresh function name with a readable prefix. */
    static String name(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    static String arn(String name) {
        return ARN_PREFIX + name;
    }

    /**
     * CreateFunction as LocalStack's {@code create_lambda_function} fixture sends it. The fixture
     * builds a new archive each time (with timestamps), so each function's CodeSha256 differs; a
     * comment naming the function makes ours differ too.
     */
    static CreateFunctionRequest.Builder fixtureRequest(String name) {
        byte[] zip = Functions.python("# " + name + "\ndef handler(event, context):\n    return event\n");
        return CreateFunctionRequest.builder()
                .functionName(name)
                .runtime(Runtime.PYTHON3_12)
                .handler("handler.handler")
                .role(ROLE)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip)))
                .timeout(30)
                .environment(e -> e.variables(Map.of()))
                .tags(Map.of());
    }

    /** CreateFunction as the tests that call the API directly send it ({@code create_lambda_function_aws}). */
    static CreateFunctionRequest.Builder plainRequest(String name) {
        return CreateFunctionRequest.builder()
                .functionName(name)
                .runtime(Runtime.PYTHON3_12)
                .handler("index.handler")
                .role(ROLE)
                .packageType("Zip")
                .code(c -> c.zipFile(SdkBytes.fromByteArray(ECHO_ZIP)));
    }

    /** Creates, then waits until the function left Pending (as both LocalStack fixtures do). */
    static CreateFunctionResponse create(LambdaClient lambda, CreateFunctionRequest.Builder request) {
        CreateFunctionResponse r = lambda.createFunction(request.build());
        awaitSettled(lambda, r.functionName());
        return r;
    }

    /** Waits until {@code $LATEST} is neither Pending nor InProgress (the function_active_v2 / function_updated_v2 waiters). */
    static GetFunctionConfigurationResponse awaitSettled(LambdaClient lambda, String name) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            GetFunctionConfigurationResponse c = lambda.getFunctionConfiguration(r -> r.functionName(name));
            if (c.state() != State.PENDING && c.lastUpdateStatus() != LastUpdateStatus.IN_PROGRESS) {
                return c;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not settle: " + c);
            }
            sleep(5);
        }
    }

    /** Waits until a published version is Active (the published_version_active waiter). */
    static void awaitVersionActive(LambdaClient lambda, String name, String version) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (lambda.getFunctionConfiguration(r -> r.functionName(name).qualifier(version)).state() != State.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ":" + version + " did not become active");
            }
            sleep(5);
        }
    }

    /** The AWS error a call fails with. */
    static AwsServiceException error(ThrowingCallable call) {
        try {
            call.call();
        } catch (AwsServiceException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError("expected an AWS error, got " + t, t);
        }
        throw new AssertionError("expected the call to fail with an AWS error");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
