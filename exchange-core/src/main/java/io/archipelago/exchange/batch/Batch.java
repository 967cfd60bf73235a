package io.archipelago.exchange.batch;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.Accounts;
import io.archipelago.exchange.account.api.HoldRefused;
import io.archipelago.exchange.account.api.Reservation;
import io.archipelago.exchange.batch.api.BatchEnded;
import io.archipelago.exchange.batch.api.BatchId;
import io.archipelago.exchange.batch.api.BatchStatus;
import io.archipelago.exchange.batch.api.BatchSubmitted;
import io.archipelago.exchange.batch.api.CompleteItem;
import io.archipelago.exchange.batch.api.FailItem;
import io.archipelago.exchange.batch.api.ItemAttempted;
import io.archipelago.exchange.batch.api.ItemBidSubmitted;
import io.archipelago.exchange.batch.api.ItemCompleted;
import io.archipelago.exchange.batch.api.ItemFailed;
import io.archipelago.exchange.batch.api.ItemPlaced;
import io.archipelago.exchange.batch.api.ItemReassigned;
import io.archipelago.exchange.batch.api.ItemRetried;
import io.archipelago.exchange.batch.api.ItemTerms;
import io.archipelago.exchange.batch.api.RecordItemBid;
import io.archipelago.exchange.batch.api.RecordItemPlaced;
import io.archipelago.exchange.batch.api.RecordItemReassigned;
import io.archipelago.exchange.batch.api.SubmitBatch;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.money.MicroCredits;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * One batch: its items in input order, which attempt of each is out and how each ended. Items are placed one at a
 * time in input order, each attempt a job of its own ({@link BatchId#job}); the next is attempted once the bid of the
 * one before went in, avoiding Islands as {@link Spreading} decides. An attempt the market failed is retried while
 * attempts are left, one it refused is not.
 * Reports about a job that is not an item's current attempt (a repeat, a late one) change nothing.
 */
public class Batch {

    /** The most items one batch holds. */
    public static final int MAX_ITEMS = 100;
    /** The most attempts an item may be given. */
    public static final int MAX_ATTEMPTS = 10;

    @AggregateIdentifier
    private BatchId batchId;
    private AccountId account;
    private CargoType cargo;
    private ItemTerms terms;
    private List<String> inputs;
    private int maxAttempts;
    private List<Item> items;
    private Deque<Integer> queued;
    private Spreading spreading;
    private @Nullable JobId placing;
    private boolean ended;

    protected Batch() {
        // for Axon
    }

    @CommandHandler
    public Batch(SubmitBatch command, Accounts accounts) {
        if (command.inputs() == null || command.inputs().isEmpty() || command.inputs().size() > MAX_ITEMS) {
            throw new IllegalArgumentException("a batch has 1-" + MAX_ITEMS + " inputs");
        }
        if (command.maxAttempts() < 1 || command.maxAttempts() > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("an item is given 1-" + MAX_ATTEMPTS + " attempts");
        }
        // the worst case is held with the submission, in its unit of work, as a workflow's is
        MicroCredits worstCase = worstCase(command.terms(), command.inputs().size());
        Reservation held = accounts.hold(command.account(), command.batchId().hold(), worstCase, command.at());
        if (held != Reservation.RESERVED) {
            throw new HoldRefused("the batch's worst case, " + command.inputs().size() + " inputs x limit "
                    + command.terms().limit().microCredits() + " x " + command.terms().maxUnits() + " units",
                    worstCase, accounts.availableOf(command.account()).orElse(MicroCredits.ZERO));
        }
        apply(new BatchSubmitted(command.batchId(), command.account(), command.cargo(), command.terms(),
                List.copyOf(command.inputs()), command.maxAttempts(), command.at()))
                // in a constructor the event is applied after it returns
                .andThen(() -> attemptNext(command.at()));
    }

    /** Every item at its limit × maximum units, once. */
    private static MicroCredits worstCase(ItemTerms terms, int items) {
        try {
            return MicroCredits.of(Math.multiplyExact(Math.multiplyExact(terms.limit().microCredits(),
                    terms.maxUnits()), items));
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("limit x maximum units x inputs overflows a micro-credit amount");
        }
    }

    @CommandHandler
    void handle(RecordItemBid command) {
        Optional<Item> item = current(command.jobId());
        if (item.isPresent() && command.jobId().equals(placing)) {
            apply(new ItemBidSubmitted(batchId, item.get().index, command.jobId(), command.placedOn(), command.at()));
            attemptNext(command.at());
        }
    }

    @CommandHandler
    void handle(RecordItemPlaced command) {
        current(command.jobId()).ifPresent(item -> apply(new ItemPlaced(batchId, item.index, item.attempts,
                command.jobId(), command.islandId(), command.at())));
    }

    @CommandHandler
    void handle(RecordItemReassigned command) {
        current(command.jobId()).ifPresent(item -> apply(new ItemReassigned(batchId, item.index, item.attempts,
                command.jobId(), command.islandId(), command.at())));
    }

    @CommandHandler
    void handle(CompleteItem command, Accounts accounts) {
        Optional<Item> found = current(command.jobId());
        if (found.isEmpty()) {
            return;
        }
        Item item = found.get();
        apply(new ItemCompleted(batchId, item.index, item.attempts, command.jobId(), command.islandId(),
                command.units(), command.cost(), command.result(), command.at()));
        endOrAttemptNext(command.at(), accounts);
    }

    @CommandHandler
    void handle(FailItem command, Accounts accounts) {
        if (command.reason() == null || command.reason().isBlank()) {
            throw new IllegalArgumentException("a failed item says why");
        }
        Optional<Item> found = current(command.jobId());
        if (found.isEmpty()) {
            return;
        }
        Item item = found.get();
        if (command.retryable() && item.attempts < maxAttempts) {
            SortedSet<IslandId> avoiding = new TreeSet<>(item.failedOn);
            if (command.islandId() != null) {
                avoiding.add(command.islandId());
            }
            apply(new ItemRetried(batchId, item.index, item.attempts, command.jobId(), command.islandId(),
                    command.reason(), List.copyOf(avoiding), command.at()));
        } else {
            apply(new ItemFailed(batchId, item.index, item.attempts, command.jobId(), command.islandId(),
                    command.reason(), command.at()));
        }
        endOrAttemptNext(command.at(), accounts);
    }

    /** The item whose current attempt runs as {@code jobId}, while that attempt has not ended. */
    private Optional<Item> current(JobId jobId) {
        return BatchId.ofJob(jobId).filter(batchId::equals).flatMap(ignored -> items.stream()
                .filter(item -> jobId.equals(item.jobId) && !item.isOver()).findFirst());
    }

    /** Ends the batch once every item is over, returning what is left of its hold in the same unit of work. */
    private void endOrAttemptNext(Instant at, Accounts accounts) {
        if (!ended && items.stream().allMatch(Item::isOver)) {
            int completed = (int) items.stream().filter(item -> item.completed).count();
            MicroCredits cost = items.stream().map(item -> item.cost).reduce(MicroCredits.ZERO, MicroCredits::plus);
            apply(new BatchEnded(batchId, BatchStatus.of(completed, items.size()), items.size(), completed,
                    items.size() - completed, cost, at));
            accounts.releaseHold(account, batchId.hold(), "batch " + batchId + " ended", at);
        } else {
            attemptNext(at);
        }
    }

    /** Attempts the first queued item, unless the bid of another is still going in. */
    private void attemptNext(Instant at) {
        if (placing != null || queued.isEmpty()) {
            return;
        }
        Item item = items.get(queued.peekFirst());
        int attempt = item.attempts + 1;
        apply(new ItemAttempted(batchId, item.index, attempt, batchId.job(item.index, attempt), account, cargo, terms,
                inputs.get(item.index), spreading.avoid(item.failedOn), at));
    }

    @EventSourcingHandler
    void on(BatchSubmitted event) {
        batchId = event.batchId();
        account = event.account();
        cargo = event.cargo();
        terms = event.terms();
        inputs = event.inputs();
        maxAttempts = event.maxAttempts();
        items = new ArrayList<>();
        queued = new ArrayDeque<>();
        spreading = new Spreading();
        for (int index = 0; index < inputs.size(); index++) {
            items.add(new Item(index));
            queued.addLast(index);
        }
    }

    @EventSourcingHandler
    void on(ItemAttempted event) {
        queued.remove(event.index());
        Item item = items.get(event.index());
        item.attempts = event.attempt();
        item.jobId = event.jobId();
        placing = event.jobId();
    }

    @EventSourcingHandler
    void on(ItemBidSubmitted event) {
        placing = null;
        IslandId island = event.placedOn();
        if (island != null) {
            spreading.placedOn(island);
        }
    }

    @EventSourcingHandler
    void on(ItemReassigned event) {
        items.get(event.index()).failedOn.add(event.islandId());
    }

    @EventSourcingHandler
    void on(ItemCompleted event) {
        Item item = items.get(event.index());
        item.completed = true;
        item.over = true;
        item.cost = event.cost();
        release(event.jobId());
    }

    @EventSourcingHandler
    void on(ItemRetried event) {
        Item item = items.get(event.index());
        item.failedOn.addAll(event.avoiding());
        queued.addLast(event.index());
        release(event.jobId());
    }

    @EventSourcingHandler
    void on(ItemFailed event) {
        Item item = items.get(event.index());
        if (event.islandId() != null) {
            item.failedOn.add(event.islandId());
        }
        item.over = true;
        release(event.jobId());
    }

    @EventSourcingHandler
    void on(BatchEnded event) {
        ended = true;
    }

    /** An attempt that ended before its bid was recorded (refused at once) no longer holds up the next one. */
    private void release(JobId jobId) {
        items.stream().filter(item -> jobId.equals(item.jobId)).findFirst().ifPresent(item -> item.jobId = null);
        if (jobId.equals(placing)) {
            placing = null;
        }
    }

    public boolean isEnded() {
        return ended;
    }

    /** The queued items in the order they will be attempted. */
    public List<Integer> queued() {
        return List.copyOf(queued);
    }

    public String stateHash() {
        StringBuilder hash = new StringBuilder().append(batchId).append('|').append(account).append('|')
                .append(cargo).append('|').append(terms).append('|').append(maxAttempts).append('|')
                .append(queued).append('|').append(spreading).append('|').append(placing).append('|').append(ended);
        items.forEach(item -> hash.append('|').append(item));
        return hash.toString();
    }

    /** An item as the batch remembers it: its current attempt's job (null once it ended) and who failed it. */
    private static final class Item {
        final int index;
        final SortedSet<IslandId> failedOn = new TreeSet<>();
        int attempts;
        @Nullable JobId jobId;
        boolean over;
        boolean completed;
        MicroCredits cost = MicroCredits.ZERO;

        Item(int index) {
            this.index = index;
        }

        boolean isOver() {
            return over;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Item item && toString().equals(item.toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }

        @Override
        public String toString() {
            return index + ":" + attempts + ":" + jobId + ":" + over + ":" + completed + ":" + cost.value() + ":"
                    + failedOn;
        }
    }
}
