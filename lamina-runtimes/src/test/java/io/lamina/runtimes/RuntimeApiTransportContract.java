package io.lamina.runtimes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every bootstrap's Runtime API client must do, whatever its language: one kept-alive
 * connection, a reconnect when Lamina drops it, chunked events. Each runtime's test class says how
 * to start an echo function and a counting function.
 */
abstract class RuntimeApiTransportContract extends BootstrapTestSupport {

    /** Starts a function that returns its event. */
    abstract void startEchoFunction();

    /** Starts a function that returns {@code {"n": <invocations so far>, "i": event.i}}. */
    abstract void startCountingFunction();

    @Test
    void bootstrap_servesManyInvocationsOverOneKeepAliveConnection() {
        startCountingFunction();
        for (int i = 1; i <= 5; i++) {
            assertThat(awaitPosted(api.invoke("{\"i\":" + i + "}")).json())
                    .isEqualTo(json("{\"n\":" + i + ",\"i\":" + i + "}"));
        }
        assertThat(api.clientPorts()).hasSize(1);
    }

    @Test
    void bootstrap_whenRuntimeApiDropsTheConnection_reconnectsAndCarriesOn() {
        startEchoFunction();
        assertThat(awaitPosted(api.invoke("{\"i\":1}")).json()).isEqualTo(json("{\"i\":1}"));

        api.dropNextConnection();
        assertThat(awaitPosted(api.invoke("{\"i\":2}")).json()).isEqualTo(json("{\"i\":2}"));
        assertThat(awaitPosted(api.invoke("{\"i\":3}")).json()).isEqualTo(json("{\"i\":3}"));

        assertThat(api.clientPorts()).hasSize(2);
    }

    @Test
    void bootstrap_whenEventsArriveChunked_reassemblesThem() {
        api.useChunkedEvents();
        startEchoFunction();

        String big = "{\"data\":\"" + "x".repeat(100_000) + "\",\"u\":\"\u00fc\u20ac\"}";
        assertThat(awaitPosted(api.invoke(big)).json()).isEqualTo(json(big));
        assertThat(awaitPosted(api.invoke("{\"small\":1}")).json()).isEqualTo(json("{\"small\":1}"));
    }
}
