package io.archipelago.projections.deadletter;

import io.archipelago.projections.ReadModelWrites;
import io.archipelago.projections.WritesInBatches;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * Runs every event handler of a processor with dead letters inside a savepoint of the batch's transaction. A failed
 * SQL statement aborts a PostgreSQL transaction: without the savepoint, the dead letter of the failing event could
 * not be written in it (and the whole batch, with the segment behind it, would stall); with it, only the failing
 * handler's writes are undone, the event is parked, and the batch goes on. Handlers that succeed keep their writes,
 * so a parked event retried later reaches them again: the read models apply an event delivered twice once. A
 * projection that {@link WritesInBatches} sends nothing from its handlers while replaying: there, instead of a
 * savepoint, a failing handler's deferred writes are dropped.
 */
final class SavepointPerHandler implements HandlerEnhancerDefinition {

    private static final TransactionDefinition NESTED =
            new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_NESTED);

    /** Looked up at the first event, not when Axon inspects the handlers, which happens before the database. */
    private final ObjectProvider<PlatformTransactionManager> transactions;

    SavepointPerHandler(ObjectProvider<PlatformTransactionManager> transactions) {
        this.transactions = transactions;
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        boolean parked = original.canHandleMessageType(EventMessage.class)
                && Optional.ofNullable(original.declaringClass().getAnnotation(ProcessingGroup.class))
                        .map(group -> DeadLetters.PROCESSORS.contains(group.value()))
                        .orElse(false);
        boolean batched = original.declaringClass().isAnnotationPresent(WritesInBatches.class);
        return parked ? new InSavepoint<>(original, batched) : original;
    }

    private final class InSavepoint<T> extends WrappedMessageHandlingMember<T> {

        private final boolean batched;

        InSavepoint(MessageHandlingMember<T> delegate, boolean batched) {
            super(delegate);
            this.batched = batched;
        }

        @Override
        public @Nullable Object handle(Message<?> message, @Nullable T target) throws Exception {
            if (batched && ReadModelWrites.deferring()) {
                int mark = ReadModelWrites.pending();
                try {
                    return super.handle(message, target);
                } catch (Exception | Error failed) {
                    ReadModelWrites.discardFrom(mark);
                    throw failed;
                }
            }
            PlatformTransactionManager manager = transactions.getObject();
            TransactionStatus savepoint = manager.getTransaction(NESTED);
            Object result;
            try {
                result = super.handle(message, target);
            } catch (Exception | Error failed) {
                manager.rollback(savepoint);
                throw failed;
            }
            manager.commit(savepoint);
            return result;
        }
    }
}
