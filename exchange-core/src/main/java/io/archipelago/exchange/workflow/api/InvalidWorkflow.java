package io.archipelago.exchange.workflow.api;

/**
 * A workflow refused before anything ran: {@code code} names the rule it broke ({@code unknown_step},
 * {@code cycle}, {@code template_not_a_dependency}, {@code duplicate_key}, {@code too_many_steps}, ...), the message
 * which step and how.
 */
public final class InvalidWorkflow extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String code;

    public InvalidWorkflow(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
