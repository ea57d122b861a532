package io.lamina.core.urls;

import io.lamina.core.store.UrlConfigStore;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The URL registry's store round trip: what a restart reloads and how configurations are keyed. */
class FunctionUrlsTest {

    @Test
    void storedConfigs_roundTripThroughTheInMemoryStore_andKeepTheirIdentity() {
        UrlConfigStore store = UrlConfigStore.inMemory();
        var cors = new UrlConfig.Cors(Optional.of(true), Optional.empty(), Optional.empty(),
                Optional.of(java.util.List.of("*")), Optional.empty(), Optional.of(5));
        var c = new UrlConfig("abcdefghijklmnopqrstuvwxyz012345", "fn", Optional.of("live"), UrlConfig.AuthType.AWS_IAM,
                Optional.of(cors), Optional.empty(), "2026-01-01T00:00:00.000+0000", "2026-01-01T00:00:00.000+0000");
        store.put(c);
        assertThat(store.loadAll()).containsExactly(c);
        assertThat(c.effectiveInvokeMode()).isEqualTo(UrlConfig.InvokeMode.BUFFERED);
        assertThat(c.sortKey()).isEqualTo("live");
        store.delete(c.urlId());
        assertThat(store.loadAll()).isEmpty();
    }

    @Test
    void qualifierPattern_refusesVersionsAndLatest_likeAws() {
        assertThat(FunctionUrls.QUALIFIER.matcher("live").matches()).isTrue();
        assertThat(FunctionUrls.QUALIFIER.matcher("1").matches()).isFalse();
        assertThat(FunctionUrls.QUALIFIER.matcher("$LATEST").matches()).isFalse();
        assertThat(FunctionUrls.QUALIFIER.matcher("v1").matches()).isTrue();
    }
}
