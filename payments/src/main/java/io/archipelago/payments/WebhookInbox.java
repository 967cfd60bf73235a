package io.archipelago.payments;

import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import java.sql.Timestamp;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Handles each verified Stripe event once, by its Stripe event id. The id is claimed and the event's command is sent
 * in one database transaction (the command bus runs the command in the caller's thread and joins it), so either both
 * happen or neither does. An event the exchange refuses for good is remembered with its reason and acknowledged;
 * a failure worth retrying rolls everything back and answers 500, so that Stripe delivers the event again.
 */
@Component
final class WebhookInbox {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookInbox.class);

    /** What became of a delivery: {@code duplicate} when the event was handled before. */
    record Receipt(String eventId, String type, boolean duplicate, String outcome) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final StripeEvents events;
    private final Clock clock;

    WebhookInbox(JdbcTemplate jdbc, TransactionTemplate transactions, StripeEvents events, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    Receipt receive(Event event) {
        try {
            Receipt receipt = transactions.execute(status -> {
                if (!claim(event, "handling")) {
                    return duplicate(event);
                }
                String outcome;
                try {
                    outcome = events.handle(event);
                } catch (StripeException stripe) {
                    throw new StripeCallFailed(stripe);
                }
                jdbc.update("update stripe_webhook_event set outcome = ? where event_id = ?", clip(outcome),
                        event.getId());
                return new Receipt(event.getId(), event.getType(), false, outcome);
            });
            LOG.info("stripe event {} ({}): {}", event.getId(), event.getType(), receipt.outcome());
            return receipt;
        } catch (RuntimeException failure) {
            if (!Rejections.isRejection(failure)) {
                throw failure;
            }
            String outcome = "refused: " + Rejections.cause(failure).getMessage();
            LOG.warn("stripe event {} ({}) {}", event.getId(), event.getType(), outcome);
            Boolean claimed = transactions.execute(status -> claim(event, outcome));
            return Boolean.TRUE.equals(claimed) ? new Receipt(event.getId(), event.getType(), false, outcome)
                    : duplicate(event);
        }
    }

    private boolean claim(Event event, String outcome) {
        return jdbc.update("""
                insert into stripe_webhook_event (event_id, type, outcome, received_at) values (?, ?, ?, ?)
                on conflict (event_id) do nothing""",
                event.getId(), event.getType(), clip(outcome), Timestamp.from(clock.instant())) == 1;
    }

    private Receipt duplicate(Event event) {
        String before = jdbc.queryForObject("select outcome from stripe_webhook_event where event_id = ?",
                String.class, event.getId());
        return new Receipt(event.getId(), event.getType(), true, "already handled: " + before);
    }

    private static String clip(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000);
    }

    /** A call back to Stripe failed while handling an event: roll back and let Stripe deliver it again. */
    static final class StripeCallFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StripeCallFailed(StripeException cause) {
            super("a call to Stripe failed while handling the event: " + cause.getMessage(), cause);
        }
    }
}
