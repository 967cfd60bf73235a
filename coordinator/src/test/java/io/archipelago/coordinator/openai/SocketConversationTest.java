package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/** A WebSocket's requests: ids in flight once at a time, jobs let go when the socket closes, frames as documented. */
class SocketConversationTest {

    private final ObjectMapper json = new ObjectMapper();
    private final List<JsonNode> sent = new ArrayList<>();
    private final WebSocketSession socket = mock(WebSocketSession.class);
    private final SocketConversation conversation = new SocketConversation(socket, json);

    SocketConversationTest() throws IOException {
        doAnswer(call -> sent.add(json.readTree(call.<TextMessage>getArgument(0).getPayload())))
                .when(socket).sendMessage(any());
    }

    @Test
    void closingTheSocketLetsGoOfEveryJobStillHeldAndOfLaterOnesAtOnce() {
        AtomicInteger released = new AtomicInteger();
        assertThat(conversation.begin("a")).isTrue();
        assertThat(conversation.begin("b")).isTrue();
        conversation.hold("job-a", released::incrementAndGet);
        conversation.hold("job-b", released::incrementAndGet);
        conversation.end("b", "job-b");

        conversation.close();
        assertThat(released).hasValue(1);

        conversation.hold("job-late", released::incrementAndGet);
        assertThat(released).hasValue(2);
        assertThat(conversation.begin("c")).isFalse();
    }

    @Test
    void aRequestIdRunsOnceAtATimeAndASocketHoldsABoundedNumberOfRequests() {
        assertThat(conversation.begin("same")).isTrue();
        assertThat(conversation.begin("same")).isFalse();
        conversation.end("same", null);
        assertThat(conversation.begin("same")).isTrue();
        for (int i = 1; i < SocketConversation.MAX_IN_FLIGHT; i++) {
            assertThat(conversation.begin(null)).isTrue();
        }
        assertThat(conversation.begin(null)).isFalse();
    }

    @Test
    void framesCarryTheirTypeAndRequestIdFirstAndErrorsInOpenAisShape() {
        conversation.send("chat.completion.chunk", "r1", json.createObjectNode().put("object", "chat.completion.chunk")
                .put("request_id", "spoofed"));
        conversation.done("r1", "job-1");
        conversation.error(null, new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "invalid_json",
                "not JSON"));

        assertThat(sent).extracting(JsonNode::toString).containsExactly(
                "{\"type\":\"chat.completion.chunk\",\"request_id\":\"r1\",\"object\":\"chat.completion.chunk\"}",
                "{\"type\":\"done\",\"request_id\":\"r1\",\"job_id\":\"job-1\"}",
                "{\"type\":\"error\",\"request_id\":null,\"error\":{\"message\":\"not JSON\","
                        + "\"type\":\"invalid_request_error\",\"code\":\"invalid_json\"}}");
    }

    @Test
    void aSocketThatCannotBeWrittenIsNoFailureOfTheJob() throws IOException {
        doThrow(new IOException("broken pipe")).when(socket).sendMessage(any());
        conversation.done("r1", "job-1");
        assertThat(sent).isEmpty();
    }
}
