package io.archipelago.coordinator.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** What makes two requests the same for the exact tier, and which requests may use the cache at all. */
class RequestKeyTest {

    private static final String CARGO = "llm.chat.demo";
    private static final String VERSION = "2026-12-02T10:00:00Z";
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theSameRequestWrittenOtherwiseHasTheSameKey() throws Exception {
        RequestKey plain = key("{\"model\":\"m\",\"temperature\":0,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        RequestKey reordered = key("{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"temperature\":0.00,"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"user\":\"u-1\",\"model\":\"m\"}");

        assertThat(reordered).isEqualTo(plain);
    }

    @Test
    void whatChangesTheAnswerChangesTheKey() throws Exception {
        String base = "{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        RequestKey plain = key(base + "}");

        assertThat(key(base.replace("hi", "Hi") + "}")).isNotEqualTo(plain);
        assertThat(key(base + ",\"max_tokens\":5}")).isNotEqualTo(plain);
        assertThat(key(base + ",\"seed\":1}")).isNotEqualTo(plain);
        assertThat(key(base + ",\"top_p\":0.5}")).isNotEqualTo(plain);
        assertThat(key(base + ",\"stop\":[\".\"]}")).isNotEqualTo(plain);
        assertThat(key(base + ",\"response_format\":{\"type\":\"json_object\"}}")).isNotEqualTo(plain);
        assertThat(key(base + ",\"tools\":[]}")).isNotEqualTo(plain);
        assertThat(key(base.replace("\"temperature\":0", "\"temperature\":0.1") + "}")).isNotEqualTo(plain);
        assertThat(RequestKey.of("llm.chat.other", VERSION, json.readTree(base + "}"))).isNotEqualTo(plain);
        assertThat(RequestKey.of(CARGO, "2026-12-03T10:00:00Z", json.readTree(base + "}")))
                .as("a Cargo registered again answers afresh").isNotEqualTo(plain);
    }

    @Test
    void deterministicRequestsAreCachedSampledOnesOnlyWhenAsked() throws Exception {
        HttpHeaders none = new HttpHeaders();

        assertThat(CacheUse.of(body("\"temperature\":0"), none, false)).isEqualTo(CacheUse.CACHED);
        assertThat(CacheUse.of(body("\"seed\":42,\"temperature\":0.7"), none, false)).isEqualTo(CacheUse.CACHED);
        assertThat(CacheUse.of(body("\"temperature\":0.7"), none, false)).isEqualTo(CacheUse.SAMPLED);
        assertThat(CacheUse.of(body("\"top_p\":1"), none, false)).as("OpenAI's default temperature is 1")
                .isEqualTo(CacheUse.SAMPLED);
        assertThat(CacheUse.of(body("\"temperature\":0.7"), none, true)).isEqualTo(CacheUse.CACHED);
        assertThat(CacheUse.of(body("\"temperature\":0.7,\"cache\":\"use\""), none, false))
                .isEqualTo(CacheUse.CACHED);
    }

    @Test
    void aRequestBypassesByHeaderCacheControlOrField() throws Exception {
        HttpHeaders bypass = new HttpHeaders();
        bypass.set(CacheUse.HEADER, "Bypass");
        HttpHeaders noCache = new HttpHeaders();
        noCache.set(HttpHeaders.CACHE_CONTROL, "max-age=0, no-cache");
        HttpHeaders use = new HttpHeaders();
        use.set(CacheUse.HEADER, "use");

        assertThat(CacheUse.of(body("\"temperature\":0"), bypass, false)).isEqualTo(CacheUse.BYPASSED);
        assertThat(CacheUse.of(body("\"temperature\":0"), noCache, false)).isEqualTo(CacheUse.BYPASSED);
        assertThat(CacheUse.of(body("\"temperature\":0,\"cache\":\"bypass\""), new HttpHeaders(), false))
                .isEqualTo(CacheUse.BYPASSED);
        assertThat(CacheUse.of(body("\"temperature\":0,\"cache\":\"bypass\""), use, false))
                .as("the header wins over the field").isEqualTo(CacheUse.CACHED);
    }

    @Test
    void refusesACacheChoiceItDoesNotKnow() {
        HttpHeaders odd = new HttpHeaders();
        odd.set(CacheUse.HEADER, "always");

        assertThatThrownBy(() -> CacheUse.of(body("\"temperature\":0"), odd, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bypass");
        assertThatThrownBy(() -> CacheUse.of(body("\"cache\":true"), new HttpHeaders(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private RequestKey key(String request) throws Exception {
        return RequestKey.of(CARGO, VERSION, json.readTree(request));
    }

    private JsonNode body(String fields) {
        try {
            return json.readTree("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                    + fields + "}");
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
