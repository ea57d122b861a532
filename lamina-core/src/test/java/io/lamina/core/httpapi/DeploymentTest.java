package io.lamina.core.httpapi;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentTest {
    private static Deployment.Route route(String key) {
        return new Deployment.Route(key, RouteKey.parse(key), Optional.empty(), Optional.empty());
    }

    private static final Deployment API = new Deployment("api", List.of(route("GET /items/{id}"), route("GET /items/special"),
            route("ANY /items/{id}"), route("ANY /{proxy+}"), route("POST /items/{id}/{rest+}"), route("GET /")),
            Optional.of(route("$default")), Map.of(), Optional.empty(), false);

    private static String matched(String method, String path) {
        return API.match(method, path).map(m -> m.route().key().text()).orElse("none");
    }

    @Test
    void match_prefersLiteralsOverVariables_overGreedy_andAMethodOverAny() {
        assertThat(matched("GET", "/items/special")).isEqualTo("GET /items/special");
        assertThat(matched("GET", "/items/7")).isEqualTo("GET /items/{id}");
        assertThat(matched("PUT", "/items/7")).isEqualTo("ANY /items/{id}");
        assertThat(matched("POST", "/items/7/a/b")).isEqualTo("POST /items/{id}/{rest+}");
        assertThat(matched("GET", "/items/7/a/b")).isEqualTo("ANY /{proxy+}");
        assertThat(matched("GET", "/")).isEqualTo("GET /");
        assertThat(matched("DELETE", "/")).isEqualTo("$default");
    }

    @Test
    void match_decodesPathParameters_andGreedyTakesTheRest() {
        var m = API.match("POST", "/items/a%20b/x/y%2Fz").orElseThrow();
        assertThat(m.pathParameters()).containsExactly(Map.entry("id", "a b"), Map.entry("rest", "x/y/z"));
        assertThat(API.match("GET", "/other/thing").orElseThrow().pathParameters()).containsEntry("proxy", "other/thing");
    }

    @Test
    void match_withoutDefaultRoute_isEmptyForUnknownPaths() {
        var d = new Deployment("api", List.of(route("GET /only")), Optional.empty(), Map.of(), Optional.empty(), false);
        assertThat(d.match("GET", "/other")).isEmpty();
        assertThat(d.match("POST", "/only")).isEmpty();
        assertThat(d.match("GET", "/only")).isPresent();
    }
}
