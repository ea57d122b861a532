package io.lamina.server.streaming;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpIntegrationPreludeTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parse_readsStatusHeadersAndCookies() {
        var p = HttpIntegrationPrelude.parse(utf8("""
                {"statusCode":201,"headers":{"Content-Type":"text/html","X-Count":3},"cookies":["a=1; Path=/","b=2"]}
                """));

        assertThat(p).contains(new HttpIntegrationPrelude(201, Map.of("Content-Type", "text/html", "X-Count", "3"),
                List.of("a=1; Path=/", "b=2")));
    }

    @Test
    void parse_whenFieldsAreMissing_defaultsToA200WithoutHeaders() {
        assertThat(HttpIntegrationPrelude.parse(utf8("{}")))
                .contains(new HttpIntegrationPrelude(200, Map.of(), List.of()));
    }

    @Test
    void parse_whenNotAnObjectOrTheStatusIsInvalid_isEmpty() {
        assertThat(HttpIntegrationPrelude.parse(utf8("not json"))).isEmpty();
        assertThat(HttpIntegrationPrelude.parse(utf8("[1]"))).isEmpty();
        assertThat(HttpIntegrationPrelude.parse(utf8("{\"statusCode\":42}"))).isEmpty();
        assertThat(HttpIntegrationPrelude.parse(utf8("{\"statusCode\":\"abc\"}"))).isEmpty();
        assertThat(HttpIntegrationPrelude.parse(utf8("{\"statusCode\":true}"))).isEmpty();
    }

    @Test
    void splitter_findsTheDelimiterAcrossPieces() {
        var s = new HttpIntegrationPrelude.Splitter();
        byte[] prelude = utf8("{\"statusCode\":202}");

        assertThat(s.offer(prelude, 0, prelude.length)).isEmpty();
        assertThat(s.offer(new byte[5], 0, 5)).isEmpty();
        byte[] rest = new byte[]{0, 0, 0, 'h', 'i'};
        var split = s.offer(rest, 0, rest.length).orElseThrow();

        assertThat(new String(split.prelude(), StandardCharsets.UTF_8)).isEqualTo("{\"statusCode\":202}");
        assertThat(split.bodyStart()).containsExactly('h', 'i');
    }

    @Test
    void splitter_whenTheBodyStartsWithNulBytes_keepsThemInTheBody() {
        var s = new HttpIntegrationPrelude.Splitter();
        byte[] all = new byte[2 + 8 + 3];
        all[0] = '{';
        all[1] = '}';
        // delimiter at 2..9, then a body of three NUL bytes

        var split = s.offer(all, 0, all.length).orElseThrow();

        assertThat(split.prelude()).containsExactly('{', '}');
        assertThat(split.bodyStart()).containsExactly(0, 0, 0);
    }

    @Test
    void splitter_whenNoDelimiterComesWithinTheLimit_refusesTheStream() {
        var s = new HttpIntegrationPrelude.Splitter();
        byte[] big = new byte[HttpIntegrationPrelude.MAX_PRELUDE_BYTES + 1];
        java.util.Arrays.fill(big, (byte) 'x');

        assertThatThrownBy(() -> s.offer(big, 0, big.length)).isInstanceOf(IllegalStateException.class);
    }
}
