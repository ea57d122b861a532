package io.lamina.core.environment;

import java.nio.charset.StandardCharsets;

/** How one invocation in an execution environment ended. */
public sealed interface Outcome {

    /** The function returned a result. */
    record Success(byte[] payload) implements Outcome {
    }

    /** The runtime reported an error (handler error, init error): the payload is the runtime's error document. */
    record FunctionError(byte[] payload) implements Outcome {
    }

    /** Lamina ended the invocation: timeout, crash, oversize response. */
    record PlatformError(PlatformErrorType type, String message) implements Outcome {
        public byte[] payload() {
            return ("{\"errorType\":\"" + type.wireName() + "\",\"errorMessage\":" + quote(message) + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String quote(String s) {
        var sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
