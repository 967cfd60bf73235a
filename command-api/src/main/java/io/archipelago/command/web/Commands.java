package io.archipelago.command.web;

import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;

/**
 * Sends commands and waits for their result, rethrowing what the handler threw: unwrapped from futures and from
 * Axon's {@link CommandExecutionException}, so {@link ExchangeProblems} answers for the real cause.
 */
public final class Commands {

    /** How long an HTTP caller waits for a command before it is told the exchange did not answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final CommandGateway gateway;

    public Commands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    /** Sends {@code command} and returns its handler's result, or throws what the handler threw. */
    public <R> R send(Object command) {
        return await(gateway.send(command));
    }

    /**
     * Waits at most {@link #TIMEOUT} for {@code future}.
     *
     * @throws CommandTimedOut when the result did not come in time (the command may still take effect)
     */
    public static <R> R await(CompletableFuture<R> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            throw new CommandTimedOut();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CommandTimedOut();
        } catch (ExecutionException failed) {
            throw unwrap(failed);
        }
    }

    /** The exception a command handler actually threw, as an unchecked exception ready to be rethrown. */
    public static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof CommandExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new UndeclaredThrowableException(cause);
    }
}
