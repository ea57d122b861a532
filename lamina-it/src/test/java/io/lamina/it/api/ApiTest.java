package io.lamina.it.api;

import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** One Lamina (account 111111111111, like the recordings) per test class, and its SDK client. */
abstract class ApiTest {
    static LaminaFixture lamina;
    static LambdaClient lambda;

    @BeforeAll
    static void startLamina() {
        lamina = ApiTestSupport.start();
        lambda = lamina.lambda();
    }

    @AfterAll
    static void stopLamina() {
        lamina.close();
    }
}
