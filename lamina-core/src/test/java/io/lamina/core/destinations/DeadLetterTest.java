package io.lamina.core.destinations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    @Test
    void attributeErrorMessage_ofAShortMessage_isTheMessage() {
        assertThat(letter("intentional failure").attributeErrorMessage()).isEqualTo("intentional failure");
    }

    @Test
    void attributeErrorMessage_keepsTheFirstKilobyte() {
        String message = "x".repeat(1024) + "tail";

        assertThat(letter(message).attributeErrorMessage()).isEqualTo("x".repeat(1024));
    }

    @Test
    void attributeErrorMessage_neverCutsACharacterInTwo() {
        // 1023 one-byte characters, then a two-byte one that would straddle the 1024-byte limit.
        String message = "x".repeat(1023) + "é" + "more";

        String cut = letter(message).attributeErrorMessage();

        assertThat(cut).isEqualTo("x".repeat(1023));
        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(1024);
    }

    private static DeadLetter letter(String message) {
        return new DeadLetter(new byte[0], "r", 200, message);
    }
}
