package io.lamina.core.urls;

import io.lamina.core.errors.ErrorType;
import io.lamina.core.testing.NoFunctionStore;
import io.lamina.core.errors.LambdaException;
import io.lamina.core.function.Arns;
import io.lamina.core.function.FunctionRef;
import io.lamina.core.function.FunctionRegistry;
import io.lamina.core.function.FunctionSpec;
import io.lamina.core.store.CodeStore;
import io.lamina.core.store.UrlConfigStore;
import io.lamina.core.testing.Zips;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** FunctionUrls against a real registry: AWS's rules, the id index, deletion with the function, reloading. */
class FunctionUrlsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09.123Z"), ZoneOffset.UTC);
    private static final FunctionUrls.Change NONE = new FunctionUrls.Change(Optional.of(UrlConfig.AuthType.NONE),
            Optional.empty(), Optional.empty());

    @TempDir
    Path dir;
    FunctionRegistry functions;
    UrlConfigStore store;
    FunctionUrls urls;

    @BeforeEach
    void setUp() {
        functions = new FunctionRegistry(new NoFunctionStore(), new CodeStore(dir.resolve("code")),
                new Arns("us-east-1", "123456789012"), CLOCK, Runnable::run, runtime -> Optional.empty(),
                new FunctionRegistry.ConcurrencyPolicy(1000, 100));
        functions.create("fn", new FunctionSpec(Optional.of("python3.12"), Optional.of("handler.handler"),
                        Optional.of("arn:aws:iam::123456789012:role/r"), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty()),
                Zips.of(Map.of("handler.py", "def handler(e, c):\n    return e\n")), true, Map.of());
        functions.createAlias(new FunctionRef("fn", Optional.empty()), "live", "1", "", Map.of());
        store = UrlConfigStore.inMemory();
        urls = new FunctionUrls(store, functions, CLOCK);
        functions.addListener(urls);
    }

    @Test
    void create_indexesByUrlId_andRefusesASecondUrlForTheSameTarget() {
        UrlConfig c = urls.create(ref(null), NONE);
        assertThat(c.urlId()).matches("[a-z0-9]{32}");
        assertThat(c.creationTime()).isEqualTo("2024-05-06T07:08:09.123+0000");
        assertThat(urls.byId(c.urlId())).contains(c);
        assertThatThrownBy(() -> urls.create(ref(null), NONE)).isInstanceOfSatisfying(LambdaException.class, e -> {
            assertThat(e.type()).isEqualTo(ErrorType.ResourceConflictException);
            assertThat(e.getMessage()).isEqualTo("Failed to create function url config for [functionArn = "
                    + "arn:aws:lambda:us-east-1:123456789012:function:fn]. Error message:  FunctionUrlConfig exists for this Lambda function");
        });
        UrlConfig alias = urls.create(ref("live"), NONE);
        assertThat(alias.urlId()).isNotEqualTo(c.urlId());
        assertThat(urls.list(ref(null))).containsExactly(c, alias);
    }

    @Test
    void qualifiers_mustNameAnExistingAlias() {
        assertThatThrownBy(() -> urls.create(ref("1"), NONE)).isInstanceOfSatisfying(LambdaException.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.ValidationException));
        assertThatThrownBy(() -> urls.create(ref("$LATEST"), NONE)).isInstanceOfSatisfying(LambdaException.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.ValidationException));
        assertThatThrownBy(() -> urls.create(ref("nope"), NONE)).isInstanceOfSatisfying(LambdaException.class,
                e -> assertThat(e.getMessage()).isEqualTo("Function does not exist"));
        assertThatThrownBy(() -> urls.get(ref("nope"))).isInstanceOfSatisfying(LambdaException.class,
                e -> assertThat(e.getMessage()).isEqualTo("The resource you requested does not exist."));
    }

    @Test
    void update_changesOnlyWhatIsGiven_andKeepsTheId() {
        UrlConfig c = urls.create(ref(null), new FunctionUrls.Change(Optional.of(UrlConfig.AuthType.NONE),
                Optional.empty(), Optional.of(UrlConfig.InvokeMode.RESPONSE_STREAM)));
        UrlConfig u = urls.update(ref(null), new FunctionUrls.Change(Optional.of(UrlConfig.AuthType.AWS_IAM),
                Optional.empty(), Optional.empty()));
        assertThat(u.urlId()).isEqualTo(c.urlId());
        assertThat(u.authType()).isEqualTo(UrlConfig.AuthType.AWS_IAM);
        assertThat(u.invokeMode()).contains(UrlConfig.InvokeMode.RESPONSE_STREAM);
        assertThat(urls.byId(c.urlId())).contains(u);
    }

    @Test
    void deletingTheFunction_deletesItsUrls_butDeletingAnAliasKeepsItsUrl() {
        UrlConfig fn = urls.create(ref(null), NONE);
        UrlConfig alias = urls.create(ref("live"), NONE);
        functions.deleteAlias(ref(null), "live");
        assertThat(urls.byId(alias.urlId())).contains(alias);
        assertThat(urls.get(ref("live"))).isEqualTo(alias);
        functions.delete(ref(null));
        assertThat(urls.byId(fn.urlId())).isEmpty();
        assertThat(urls.byId(alias.urlId())).isEmpty();
        assertThat(store.loadAll()).isEmpty();
    }

    @Test
    void aRestart_reloadsTheStoredConfigurations() {
        UrlConfig c = urls.create(ref(null), NONE);
        var reloaded = new FunctionUrls(store, functions, CLOCK);
        assertThat(reloaded.byId(c.urlId())).contains(c);
        assertThat(reloaded.get(ref(null))).isEqualTo(c);
    }

    private static FunctionRef ref(String qualifier) {
        return new FunctionRef("fn", Optional.ofNullable(qualifier));
    }
}
