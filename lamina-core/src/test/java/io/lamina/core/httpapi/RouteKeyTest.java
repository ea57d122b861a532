package io.lamina.core.httpapi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteKeyTest {

    @Test
    void parse_readsMethodPathAndSegmentKinds() {
        RouteKey k = RouteKey.parse("GET /items/{id}/{rest+}");
        assertThat(k.method()).isEqualTo("GET");
        assertThat(k.segments()).extracting(RouteKey.Segment::kind).containsExactly(RouteKey.Segment.Kind.LITERAL,
                RouteKey.Segment.Kind.VARIABLE, RouteKey.Segment.Kind.GREEDY);
        assertThat(k.text()).isEqualTo("GET /items/{id}/{rest+}");
        assertThat(RouteKey.parse("$default").isDefault()).isTrue();
        assertThat(RouteKey.parse("ANY /").segments()).isEmpty();
    }

    @Test
    void parse_whenKeyIsMalformed_answersBadRequest() {
        for (String bad : new String[]{"", "GET", "get /a", "FETCH /a", "GET a", "GET /a//b", "GET /{proxy+}/x",
                "GET /a{b}", "GET /{}", "GET /a b", "$DEFAULT"}) {
            assertThatThrownBy(() -> RouteKey.parse(bad)).as(bad).isInstanceOfSatisfying(HttpApiException.class,
                    e -> assertThat(e.type()).isEqualTo(HttpApiException.Type.BadRequestException));
        }
    }
}
