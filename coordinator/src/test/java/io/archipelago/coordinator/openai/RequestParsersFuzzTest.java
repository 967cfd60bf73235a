package io.archipelago.coordinator.openai;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Whatever JSON a consumer sends to /v1, the chat, embeddings and image parsers either read a request or refuse it
 * with an {@link OpenAiException} (a 4xx in OpenAI's shape), never another exception, and an accepted request gives
 * a job input. In every build the stored inputs run (regression mode); {@code scripts/fuzz.sh} fuzzes for longer.
 */
class RequestParsersFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "30s")
    void anyJsonIsARequestOrRefused(byte[] bytes) {
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (IOException notJson) {
            // the door answers invalid_json before any parser sees it
            return;
        }
        if (body == null) {
            return;
        }
        try {
            ChatRequest.of(body).input(JSON);
        } catch (OpenAiException refused) {
            // a 4xx in OpenAI's shape
        }
        try {
            EmbeddingsRequest.of(body).input(JSON);
        } catch (OpenAiException refused) {
            // a 4xx in OpenAI's shape
        }
        try {
            ImageRequest.of(body).input(JSON);
        } catch (OpenAiException refused) {
            // a 4xx in OpenAI's shape
        }
    }
}
