package io.archipelago.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The subprotocol key of a browser's WebSocket upgrade: how the offer is read, which requests carry one, which offers
 * are refused, and which origins may make one.
 */
class SocketKeysTest {

    private final SocketKeys sockets = new SocketKeys(List.of("https://app.example", " https://*.trusted.example "));

    @Test
    void readsTheKeyBesideTheProtocolFromOneHeaderOrSeveral() {
        assertThat(SocketKeys.offer(List.of("archipelago.v1, bearer.ak-abc_DEF-1")))
                .isEqualTo(new SocketKeys.Offer(true, List.of("ak-abc_DEF-1")));
        assertThat(SocketKeys.offer(List.of("Bearer.ak-x", "other,archipelago.v1")))
                .isEqualTo(new SocketKeys.Offer(true, List.of("ak-x")));
        assertThat(SocketKeys.offer(List.of("archipelago.v1"))).isEqualTo(new SocketKeys.Offer(true, List.of()));
        assertThat(SocketKeys.offer(List.of())).isEqualTo(new SocketKeys.Offer(false, List.of()));
        assertThat(SocketKeys.offer(List.of("archipelago.v2,bearer.a,bearer.b")))
                .isEqualTo(new SocketKeys.Offer(false, List.of("a", "b")));
    }

    @Test
    void onlyAGetUpgradeOfTheSocketPathCarriesAKey() {
        assertThat(SocketKeys.isUpgrade("GET", "/v1/ws", "websocket")).isTrue();
        assertThat(SocketKeys.isUpgrade("GET", "/v1/ws", "WebSocket")).isTrue();
        assertThat(SocketKeys.isUpgrade("POST", "/v1/ws", "websocket")).isFalse();
        assertThat(SocketKeys.isUpgrade("GET", "/v1/chat/completions", "websocket")).isFalse();
        assertThat(SocketKeys.isUpgrade("GET", "/v1/ws/", "websocket")).isFalse();
        assertThat(SocketKeys.isUpgrade("GET", "/v1/ws", null)).isFalse();
    }

    @Test
    void anOfferIsRefusedFromAForeignOriginBesideAHeaderWithTwoKeysOrWithoutTheProtocol() {
        SocketKeys.Offer good = new SocketKeys.Offer(true, List.of("ak-a"));
        assertThat(good.refusal(false, true)).isEmpty();
        assertThat(status(good.refusal(false, false))).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(status(good.refusal(true, true))).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(status(new SocketKeys.Offer(true, List.of("ak-a", "ak-b")).refusal(false, true)))
                .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(status(new SocketKeys.Offer(false, List.of("ak-a")).refusal(false, true)))
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void allowsTheSameOriginListedOriginsAndPatternsAndRequestsWithoutAnOrigin() {
        assertThat(sockets.allows(upgrade(null))).isTrue();
        assertThat(sockets.allows(upgrade("http://coordinator.example:8080"))).isTrue();
        assertThat(sockets.allows(upgrade("https://app.example"))).isTrue();
        assertThat(sockets.allows(upgrade("https://ui.trusted.example"))).isTrue();
        assertThat(sockets.allows(upgrade("https://evil.example"))).isFalse();
        assertThat(sockets.allows(upgrade("http://app.example"))).isFalse();
        assertThat(sockets.allows(upgrade("http://coordinator.example:9090"))).isFalse();
        assertThat(new SocketKeys(List.of("")).allows(upgrade("https://app.example"))).isFalse();
    }

    private static MockHttpServletRequest upgrade(@Nullable String origin) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/ws");
        request.setScheme("http");
        request.setServerName("coordinator.example");
        request.setServerPort(8080);
        if (origin != null) {
            request.addHeader("Origin", origin);
        }
        return request;
    }

    private static HttpStatus status(Optional<Refusal> refusal) {
        assertThat(refusal).isPresent();
        return refusal.get().status();
    }
}
