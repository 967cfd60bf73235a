package io.archipelago.coordinator.openai;

/** OpenAI's error body, {@code {"error": {"message", "type", "code"}}}, which its clients turn into an APIError. */
record OpenAiError(Detail error) {

    static OpenAiError of(String message, String type, String code) {
        return new OpenAiError(new Detail(message, type, code));
    }

    record Detail(String message, String type, String code) {
    }
}
