package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * Plain WebSocket (no STOMP) at {@value #PATH} for the OpenAI door's streams. A message may be as large as an
 * embeddings request's texts ({@code archipelago.openai.ws.max-message-bytes}); at most
 * {@code archipelago.openai.ws.max-placements} jobs are being placed at once over all sockets.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@ConditionalOnProperty(name = "archipelago.bridge.enabled", havingValue = "true", matchIfMissing = true)
class StreamSocketConfiguration implements WebSocketConfigurer {

    static final String PATH = "/v1/ws";

    private final StreamSocket socket;
    private final int maxMessageBytes;

    StreamSocketConfiguration(JobDesk desk, BidTermsResolver terms, EmbeddingJobs embeddings, ObjectMapper json,
                              Clock clock, @Value("${archipelago.openai.ws.max-placements:256}") int maxPlacements,
                              @Value("${archipelago.openai.ws.max-message-bytes:524288}") int maxMessageBytes) {
        this.socket = new StreamSocket(desk, terms, embeddings, json, clock, maxPlacements);
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(socket, PATH).addInterceptors(new AccountHandshake());
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
