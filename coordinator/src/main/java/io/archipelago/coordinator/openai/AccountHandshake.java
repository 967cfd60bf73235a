package io.archipelago.coordinator.openai;

import io.archipelago.access.Principal;
import io.archipelago.exchange.ids.AccountId;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Carries the account that authenticated the upgrade request ({@code Authorization: Bearer <key>}, or a browser's
 * subprotocol {@code bearer.<key>}, both checked by the filter in front of {@code /v1/}) into the
 * WebSocket's attributes, where every request on the socket finds it. An upgrade without one is refused with 401
 * before any socket opens.
 */
final class AccountHandshake implements HandshakeInterceptor {

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) {
        Object account = request instanceof ServletServerHttpRequest servlet
                ? servlet.getServletRequest().getAttribute(Principal.ACCOUNT_ATTRIBUTE) : null;
        if (!(account instanceof AccountId)) {
            response.setStatusCode(HttpStatus.UNAUTHORIZED);
            return false;
        }
        attributes.put(Principal.ACCOUNT_ATTRIBUTE, account);
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               @Nullable Exception failure) {
    }
}
