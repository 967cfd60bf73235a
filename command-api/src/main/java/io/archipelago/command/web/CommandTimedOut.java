package io.archipelago.command.web;

/** A command's result did not arrive in {@link Commands#TIMEOUT}; the command may still take effect later. */
public final class CommandTimedOut extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CommandTimedOut() {
        super("the exchange did not answer in time; the command may still take effect");
    }
}
