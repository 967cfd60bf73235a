package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.archipelago.coordinator.cache.InferenceCache;
import io.archipelago.projections.market.MarketViews;
import io.archipelago.access.SocketKeys;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Plain WebSocket (no STOMP) at {@value #PATH} for the OpenAI door's streams. A message may be as large as an
 * embeddings request's texts ({@code archipelago.openai.ws.max-message-bytes}); at most
 * {@code archipelago.openai.ws.max-placements} jobs are being placed at once over all sockets. Browsers may upgrade
 * from the same origin or one listed in {@code archipelago.openai.ws.allowed-origins}, and select
 * {@value SocketKeys#PROTOCOL} (a browser refuses an upgrade whose answer selects none of the subprotocols it offered).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
class StreamSocketConfiguration implements WebSocketConfigurer {

    static final String PATH = "/v1/ws";

    private final StreamSocket socket;
    private final int maxMessageBytes;
    private final List<String> allowedOrigins;

    StreamSocketConfiguration(JobDesk desk, BidTermsResolver terms, EmbeddingJobs embeddings, InferenceCache cache,
                              MarketViews markets, ImageJobs images, ObjectMapper json, Clock clock,
                              @Value("${archipelago.openai.ws.max-placements:256}") int maxPlacements,
                              @Value("${archipelago.openai.ws.max-message-bytes:524288}") int maxMessageBytes,
                              @Value("${archipelago.openai.ws.allowed-origins:}") List<String> allowedOrigins) {
        this.socket = new StreamSocket(desk, terms, embeddings, new CachedCompletions(cache, markets), images, json,
                clock, maxPlacements);
        this.maxMessageBytes = maxMessageBytes;
        this.allowedOrigins = allowedOrigins.stream().map(String::trim).filter(origin -> !origin.isEmpty()).toList();
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        DefaultHandshakeHandler handshake = new DefaultHandshakeHandler();
        handshake.setSupportedProtocols(SocketKeys.PROTOCOL);
        // none listed: Spring's origin check lets only the same origin (or a client sending none) upgrade
        registry.addHandler(socket, PATH).setHandshakeHandler(handshake).addInterceptors(new AccountHandshake())
                .setAllowedOriginPatterns(allowedOrigins.toArray(String[]::new));
    }

    @Bean(destroyMethod = "close")
    StreamSocket streamSocket() {
        return socket;
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(maxMessageBytes);
        return container;
    }
}
