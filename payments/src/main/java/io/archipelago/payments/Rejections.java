package io.archipelago.payments;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;

/**
 * Tells a command the exchange refused (bad input, a conflict with its state, an unknown target: sending it again
 * gives the same answer) from a failure worth retrying (the database, a concurrent change, a timeout).
 */
final class Rejections {

    private Rejections() {
    }

    /** The exception a command handler actually threw, unwrapped from futures and Axon's wrapper. */
    static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof CommandExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static boolean isRejection(Throwable failure) {
        Throwable cause = cause(failure);
        return cause instanceof IllegalArgumentException || cause instanceof IllegalStateException
                || cause instanceof AggregateNotFoundException;
    }
}
