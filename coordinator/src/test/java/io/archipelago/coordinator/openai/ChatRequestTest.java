package io.archipelago.coordinator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A chat request OpenAI would refuse is refused here too, before any job is made; one it takes is taken. */
class ChatRequestTest {

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"m\",\"messages\":[{\"content\":\"no role\"}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"unknown role\"}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":42}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"no type\"}]}]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":7}]}]}",
            "{\"model\":\"m\",\"messages\":[\"just a string\"]}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":0}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2.5}",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":99999999999}",
            "{\"model\":\"m\",\"messages\":[]}"})
    void refusesWhatOpenAiRefuses(String body) {
        assertThatThrownBy(() -> ChatRequest.of(json.readTree(body)))
                .isInstanceOfSatisfying(OpenAiException.class, refused -> {
                    assertThat(refused.status().value()).isEqualTo(400);
                    assertThat(refused.body().error().type()).isEqualTo("invalid_request_error");
                });
    }

    @Test
    void takesTextPartsAnAssistantWithoutContentAndCountsTheWords() throws Exception {
        ChatRequest chat = ChatRequest.of(json.readTree("""
                {"model": "m", "stream": true, "max_tokens": 5, "messages": [
                  {"role": "system", "content": "be brief"},
                  {"role": "assistant", "content": null, "tool_calls": []},
                  {"role": "user", "content": [{"type": "text", "text": "three more words"},
                                               {"type": "image_url", "image_url": {"url": "data:,"}}]}]}"""));

        assertThat(chat.stream()).isTrue();
        assertThat(chat.promptTokens()).isEqualTo(5);
        assertThat(chat.input(json).path("max_tokens").asInt()).isEqualTo(5);
    }
}
