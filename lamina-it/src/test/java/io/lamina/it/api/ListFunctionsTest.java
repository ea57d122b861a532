package io.lamina.it.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lamina.it.LaminaFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static io.lamina.it.api.ApiTestSupport.create;
import static io.lamina.it.api.ApiTestSupport.error;
import static io.lamina.it.api.ApiTestSupport.fixtureRequest;
import static io.lamina.it.api.ApiTestSupport.name;
import static org.assertj.core.api.Assertions.assertThat;

/** ListFunctions: the listing shape, FunctionVersion=ALL, and Marker/MaxItems paging. Each test has its own Lamina. */
class ListFunctionsTest {
    LaminaFixture lamina;
    LambdaClient lambda;

    @BeforeEach
    void start() {
        lamina = ApiTestSupport.start();
        lambda = lamina.lambda();
    }

    @AfterEach
    void stop() {
        lamina.close();
    }

    /** The paginator's merged result, sorted by FunctionArn as LocalStack sorted it before recording. */
    private static ObjectNode merged(List<FunctionConfiguration> functions) {
        ObjectNode out = SdkJson.JSON.createObjectNode();
        var items = new ArrayList<JsonNode>();
        functions.forEach(f -> items.add(SdkJson.pojo(f)));
        items.sort(Comparator.comparing(n -> n.get("FunctionArn").asText()));
        out.putArray("Functions").addAll(items);
        return out;
    }

    @Test
    void listFunctions_showsLatestByDefault_andEveryVersionWithAll() {
        var snapshot = Snapshot.of("TestLambdaFunction::test_list_functions");
        String name1 = name("list-fn-1");
        String name2 = name("list-fn-2");
        snapshot.match("create_response_1", create(lambda, fixtureRequest(name1).publish(true)));
        snapshot.match("create_response_2", create(lambda, fixtureRequest(name2)));
        snapshot.match("list_functions_invalid_functionversion", error(() -> lambda.listFunctions(r -> r
                .functionVersion("invalid"))));

        var all = lambda.listFunctionsPaginator(r -> r.functionVersion("ALL").maxItems(1)).functions().stream().toList();
        var latest = lambda.listFunctionsPaginator(r -> r.maxItems(1)).functions().stream().toList();
        assertThat(all).hasSize(3);
        assertThat(latest).hasSize(2);
        snapshot.match("list_all", merged(all));
        snapshot.match("list_default", merged(latest));
    }

    @Test
    void listFunctions_pagesWithMarkerAndMaxItems() {
        var names = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            String name = name("page-" + i);
            names.add(name);
            lambda.createFunction(fixtureRequest(name).build());
        }
        ListFunctionsResponse first = lambda.listFunctions(r -> r.maxItems(2));
        assertThat(first.functions()).hasSize(2);
        assertThat(first.nextMarker()).isNotNull();
        ListFunctionsResponse second = lambda.listFunctions(r -> r.maxItems(2).marker(first.nextMarker()));
        assertThat(second.functions()).hasSize(2);
        ListFunctionsResponse third = lambda.listFunctions(r -> r.maxItems(2).marker(second.nextMarker()));
        assertThat(third.functions()).hasSize(1);
        assertThat(third.nextMarker()).isNull();

        var seen = new ArrayList<String>();
        for (var page : List.of(first, second, third)) {
            page.functions().forEach(f -> seen.add(f.functionName()));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(names).doesNotHaveDuplicates();
        assertThat(lambda.listFunctions(r -> { }).functions()).hasSize(5);
        assertThat(lambda.listFunctions(r -> { }).nextMarker()).isNull();
    }

    @Test
    void listFunctions_withAMarkerOfADeletedFunction_continuesAfterIt() {
        for (String n : List.of("a-fn", "b-fn", "c-fn")) {
            lambda.createFunction(fixtureRequest(n).build());
        }
        ListFunctionsResponse first = lambda.listFunctions(r -> r.maxItems(1));
        assertThat(first.functions()).extracting(FunctionConfiguration::functionName).containsExactly("a-fn");
        lambda.deleteFunction(r -> r.functionName("a-fn"));
        ListFunctionsResponse rest = lambda.listFunctions(r -> r.marker(first.nextMarker()));
        assertThat(rest.functions()).extracting(FunctionConfiguration::functionName).containsExactly("b-fn", "c-fn");
    }

    @Test
    void listFunctions_withAnUnknownMarker_isRejected() {
        var e = error(() -> lambda.listFunctions(r -> r.marker("not-a-marker")));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException");
    }
}
