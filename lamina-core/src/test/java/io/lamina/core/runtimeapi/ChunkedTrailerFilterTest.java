package io.lamina.core.runtimeapi;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkedTrailerFilterTest {
    private final List<Map<String, String>> trailers = new ArrayList<>();
    private int requests;
    private final ChunkedTrailerFilter filter = new ChunkedTrailerFilter(trailers::add, () -> requests++);

    private static final String STREAMED_HEAD = "POST /t/2018-06-01/runtime/invocation/1/response HTTP/1.1\r\n"
            + "Host: x\r\nLambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n\r\n";

    /** Feeds {@code input} in pieces of {@code piece} bytes, as a socket might deliver it. */
    private String feed(String input, int piece) {
        byte[] in = input.getBytes(StandardCharsets.ISO_8859_1);
        var out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i += piece) {
            byte[] part = java.util.Arrays.copyOfRange(in, i, Math.min(in.length, i + piece));
            out.writeBytes(filter.filter(part));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void filter_whenAChunkedBodyEndsWithTrailers_takesThemOutAndReportsThem() {
        String request = STREAMED_HEAD + "5\r\nhello\r\n0\r\nLambda-Runtime-Function-Error-Type: TypeError\r\n"
                + "Lambda-Runtime-Function-Error-Body: e30=\r\n\r\n";

        String passed = feed(request, 7);

        assertThat(passed).isEqualTo(STREAMED_HEAD + "5\r\nhello\r\n0\r\n\r\n");
        assertThat(trailers).containsExactly(Map.of("lambda-runtime-function-error-type", "TypeError",
                "lambda-runtime-function-error-body", "e30="));
    }

    @Test
    void filter_whenNothingNeedsTakingOut_passesTheSameBytes() {
        String next = "GET /t/2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n";
        String posted = "POST /t/2018-06-01/runtime/invocation/1/response HTTP/1.1\r\nContent-Length: 4\r\n\r\n0\r\n\r";
        String streamed = STREAMED_HEAD + "3\r\nabc\r\n0\r\n\r\n";

        String passed = feed(next + posted + streamed + next, 1);

        assertThat(passed).isEqualTo(next + posted + streamed + next);
        assertThat(trailers).isEmpty();
        assertThat(requests).isEqualTo(4);
    }

    @Test
    void filter_dropsChunkExtensions() {
        String passed = feed(STREAMED_HEAD + "3;name=value\r\nabc\r\n0;last\r\n\r\n", 2);

        assertThat(passed).isEqualTo(STREAMED_HEAD + "3\r\nabc\r\n0\r\n\r\n");
    }

    @Test
    void filter_keepsFollowingTheConnectionAfterTrailers() {
        String first = STREAMED_HEAD + "1\r\na\r\n0\r\nLambda-Runtime-Function-Error-Type: Error\r\n\r\n";
        String second = STREAMED_HEAD + "1\r\nb\r\n0\r\n\r\n";

        String passed = feed(first + second, 1000);

        assertThat(passed).isEqualTo(STREAMED_HEAD + "1\r\na\r\n0\r\n\r\n" + second);
        assertThat(trailers).containsExactly(Map.of("lambda-runtime-function-error-type", "Error"));
    }
}
