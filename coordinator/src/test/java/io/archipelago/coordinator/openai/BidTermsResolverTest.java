package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.money.PricePerUnit;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpHeaders;

/**
 * Where each bid term comes from (header, then body field, then the account's preference, then the coordinator's
 * default) and the account's hard constraints a request may tighten but never relax.
 */
class BidTermsResolverTest {

    private static final AccountId ALICE = new AccountId("alice");
    private static final AccountId BOB = new AccountId("bob");
    private static final BidPreferences ALICES = new BidPreferences(PricePerUnit.of(2_000), 20L,
            JurisdictionPolicy.eu(), Karma.of(400), 50_000L, true);

    private final ObjectMapper json = new ObjectMapper();
    private final BidTermsResolver resolver = new BidTermsResolver(
            account -> account.equals("alice") ? ALICES : BidPreferences.NONE, 5_000, 10);

    @Test
    void withNothingSaidTheCoordinatorsDefaultsApplyAndTheRegionIsLeftToTheMarket() throws Exception {
        BidTerms terms = resolve(BOB, Map.of(), "{}");

        assertThat(terms).isEqualTo(new BidTerms(5_000, 10, null, null, null, false));
    }

    @Test
    void theAccountsPreferencesComeBeforeTheDefaults() throws Exception {
        BidTerms terms = resolve(ALICE, Map.of(), "{}");

        assertThat(terms).isEqualTo(new BidTerms(2_000, 20, JurisdictionPolicy.eu(), Karma.of(400), 50_000L, true));
    }

    @Test
    void aBodyFieldComesBeforeThePreferenceAndAHeaderBeforeTheBody() throws Exception {
        BidTerms fromBody = resolve(ALICE, Map.of(), "{\"limit_micro_credits\":9000,\"max_units\":3}");
        assertThat(fromBody.limitMicroCredits()).isEqualTo(9_000);
        assertThat(fromBody.maxUnits()).isEqualTo(3);

        BidTerms fromHeader = resolve(ALICE, Map.of("X-Archipelago-Limit", "700", "X-Archipelago-Max-Units", "1"),
                "{\"limit_micro_credits\":9000,\"max_units\":3}");
        assertThat(fromHeader.limitMicroCredits()).isEqualTo(700);
        assertThat(fromHeader.maxUnits()).isEqualTo(1);
    }

    @Test
    void aRequestNarrowsTheAccountsJurisdictionToTheCountriesInBoth() throws Exception {
        assertThat(resolve(ALICE, Map.of(), "{\"jurisdiction\":\"DE,FR\"}").jurisdiction())
                .isEqualTo(JurisdictionPolicy.parse("DE,FR"));
        assertThat(resolve(ALICE, Map.of("X-Archipelago-Jurisdiction", "DE,CH"), "{}").jurisdiction())
                .isEqualTo(JurisdictionPolicy.countries(Set.of(Country.of("DE"))));
    }

    @Test
    void aJurisdictionOutsideTheAccountsIsRefusedNotWidened() {
        BidTermsResolver swiss = new BidTermsResolver(account -> new BidPreferences(null, null,
                JurisdictionPolicy.ch(), null, null, false), 5_000, 10);

        assertThatThrownBy(() -> swiss.resolve(ALICE, headers(Map.of("X-Archipelago-Jurisdiction", "EU")),
                json.readTree("{}")))
                .isInstanceOfSatisfying(OpenAiException.class, refused -> {
                    assertThat(refused.status().value()).isEqualTo(400);
                    assertThat(refused.body().error().code()).isEqualTo("jurisdiction_conflict");
                    assertThat(refused.getMessage()).contains("CH").contains("may only narrow");
                });
    }

    @ParameterizedTest
    @CsvSource({
            "X-Archipelago-Min-Karma, 300, karma_conflict",
            "X-Archipelago-Max-Latency-Ms, 51, latency_conflict",
            "X-Archipelago-Verified-Only, false, verified_conflict"})
    void aRequestCannotRelaxTheAccountsHardConstraints(String header, String value, String code) {
        assertThatThrownBy(() -> resolve(ALICE, Map.of(header, value), "{}"))
                .isInstanceOfSatisfying(OpenAiException.class, refused -> {
                    assertThat(refused.status().value()).isEqualTo(400);
                    assertThat(refused.body().error().code()).isEqualTo(code);
                });
    }

    @Test
    void aRequestMayTightenTheAccountsHardConstraints() throws Exception {
        BidTerms terms = resolve(ALICE, Map.of(),
                "{\"min_karma\":800,\"max_latency_ms\":10,\"verified_only\":true}");

        assertThat(terms.minKarma()).isEqualTo(Karma.of(800));
        assertThat(terms.maxRttMicros()).isEqualTo(10_000L);
        assertThat(terms.verifiedOnly()).isTrue();
    }

    @Test
    void withoutAPreferenceARequestSetsAnyTerm() throws Exception {
        BidTerms terms = resolve(BOB, Map.of("X-Archipelago-Verified-Only", "no"),
                "{\"jurisdiction\":\"US\",\"min_karma\":0,\"max_latency_ms\":60000}");

        assertThat(terms).isEqualTo(new BidTerms(5_000, 10, JurisdictionPolicy.parse("US"), Karma.NONE,
                60_000_000L, false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"limit_micro_credits\":0}|invalid_limit",
            "{\"max_units\":\"many\"}|invalid_max_units",
            "{\"jurisdiction\":\"XX\"}|invalid_jurisdiction",
            "{\"min_karma\":1001}|invalid_karma",
            "{\"max_latency_ms\":0}|invalid_latency",
            "{\"verified_only\":\"maybe\"}|invalid_verified_only"})
    void aMalformedTermIsAnInvalidRequest(String body, String code) {
        assertThatThrownBy(() -> resolve(ALICE, Map.of(), body))
                .isInstanceOfSatisfying(OpenAiException.class,
                        refused -> assertThat(refused.body().error().code()).isEqualTo(code));
    }

    private BidTerms resolve(AccountId account, Map<String, String> headers, String body) throws Exception {
        return resolver.resolve(account, headers(headers), json.readTree(body));
    }

    private static HttpHeaders headers(Map<String, @Nullable String> values) {
        HttpHeaders headers = new HttpHeaders();
        values.forEach(headers::set);
        return headers;
    }
}
