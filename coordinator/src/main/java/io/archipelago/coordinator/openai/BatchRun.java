package io.archipelago.coordinator.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.bridge.stream.StreamSubscription;
import io.archipelago.coordinator.openai.BatchStore.Resumable;
import io.archipelago.coordinator.openai.BatchStore.StoredBatch;
import io.archipelago.coordinator.openai.BatchStore.StoredItem;
import io.archipelago.exchange.account.api.AccountId;
import io.archipelago.exchange.island.api.IslandId;
import io.archipelago.exchange.market.api.BidOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One batch while it runs: its items' state, the queue of items waiting for an attempt, and every change recorded in
 * the {@link BatchStore} and told as a progress event through {@link BatchEvents}. Each attempt of an item is a job of
 * its own with its own bid, escrow and settlement. Changes come from the thread placing the items and from the market's
 * events; they are made under this object's lock, so the events of a batch are numbered and stored in order.
 *
 * <p>Spreading: an item's bid avoids the Islands the batch's items were placed on in the current round; when the
 * market ignored that (only those Islands could take it) a new round begins. A retry avoids instead the Islands that
 * failed the item. The market honours either only where another eligible Island exists.
 */
final class BatchRun {

    /** Tells the placing thread that the batch ended. */
    static final int END = -1;
    /** Why a resumed batch's item ended without a result of its own. */
    static final String RESTARTED = "the coordinator restarted while the item ran";

    final String id;
    final AccountId account;
    final String model;
    /** The bid terms of every item; null for a batch resumed after a restart, which places nothing more. */
    final @Nullable BidTerms terms;
    private final List<ObjectNode> inputs;
    private final List<Item> items = new ArrayList<>();
    private final BlockingQueue<Integer> waiting = new LinkedBlockingQueue<>();
    private final Set<IslandId> round = new TreeSet<>();
    private final BatchStore store;
    private final BatchEvents events;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxAttempts;
    private int nextSeq;
    private boolean ended;

    BatchRun(String id, AccountId account, String model, BidTerms terms, List<ObjectNode> inputs, BatchStore store,
             BatchEvents events, ObjectMapper json, Clock clock, int maxAttempts) {
        this.id = id;
        this.account = account;
        this.model = model;
        this.terms = terms;
        this.inputs = List.copyOf(inputs);
        this.store = store;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        for (int index = 0; index < inputs.size(); index++) {
            items.add(new Item(index));
            waiting.add(index);
        }
    }

    private BatchRun(StoredBatch stored, int nextSeq, @Nullable Resumable kept, BatchStore store, BatchEvents events,
                     ObjectMapper json, Clock clock, int maxAttempts) {
        this.id = stored.id();
        this.account = new AccountId(stored.account());
        this.model = stored.model();
        this.terms = kept == null ? null : kept.terms();
        this.inputs = kept == null ? List.of() : List.copyOf(kept.inputs());
        this.store = store;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.nextSeq = nextSeq;
        for (StoredItem saved : stored.items()) {
            Item item = new Item(saved.index());
            item.status = saved.status();
            item.attempts = saved.attempts();
            item.jobId = saved.jobId();
            item.island = saved.islandId();
            item.units = saved.units();
            item.cost = saved.costMicroCredits();
            item.reason = saved.reason();
            item.result = saved.result();
            item.failedOn.addAll(saved.failedOn());
            items.add(item);
        }
    }

    /**
     * A batch that was running when the coordinator stopped, as stored, its next event numbered {@code nextSeq}, with
     * the terms and inputs it was {@code kept} with. Without them (a batch stored before they were kept) it places
     * nothing more: an attempt the market fails is not retried.
     */
    static BatchRun resumed(StoredBatch stored, int nextSeq, @Nullable Resumable kept, BatchStore store,
                            BatchEvents events, ObjectMapper json, Clock clock, int maxAttempts) {
        return new BatchRun(stored, nextSeq, kept, store, events, json, clock, maxAttempts);
    }

    /**
     * The attempt of item {@code index} that was out when the coordinator stopped, to be followed again; null when
     * the item had none. A queued item's next attempt is out if the exchange knows its job ({@code known}): its bid
     * went in just before the stop. The relay has lost whatever the Island streamed before the restart.
     */
    synchronized @Nullable Attempt resumedAttempt(int index, Predicate<String> known) {
        Item item = items.get(index);
        if (item.isOver()) {
            return null;
        }
        if (item.status.equals("queued")) {
            String next = id + "-" + index + "-" + (item.attempts + 1);
            if (!known.test(next)) {
                return null;
            }
            item.attempts++;
            item.jobId = next;
            item.island = null;
            item.status = "placing";
            save(item);
        }
        if (item.jobId == null) {
            return null;
        }
        item.open = true;
        ItemRelay relay = new ItemRelay();
        relay.onFailed(RESTARTED + ": its output was not kept");
        return new Attempt(this, index, item.attempts, item.jobId, relay, Set.of());
    }

    /**
     * Queues every item of a resumed batch that waited for an attempt; without the inputs, ends each instead, since
     * there is nothing to place it with.
     */
    synchronized void queueWaiting() {
        for (Item item : items) {
            if (item.status.equals("queued") && terms != null) {
                waiting.add(item.index);
            } else if (item.status.equals("queued")) {
                String before = item.reason == null ? "" : " (last attempt: " + item.reason + ")";
                item.status = "failed";
                item.reason = "the coordinator restarted before the item was placed; its input is not kept" + before;
                save(item);
                ObjectNode event = itemEvent(item).put("reason", item.reason);
                event.putNull("island");
                emit("item_failed", event);
            }
        }
        endIfDone();
    }

    /** One try of one item: the job it runs as. */
    record Attempt(BatchRun run, int index, int number, String jobId, ItemRelay relay, Set<IslandId> avoid) {
    }

    /** The next item to place, waiting at most {@code millis}; {@link #END} once the batch ended, null if none. */
    @Nullable Integer next(long millis) throws InterruptedException {
        return waiting.poll(millis, TimeUnit.MILLISECONDS);
    }

    ObjectNode input(int index) {
        return inputs.get(index);
    }

    synchronized Attempt attempt(int index) {
        Item item = items.get(index);
        item.attempts++;
        item.jobId = id + "-" + index + "-" + item.attempts;
        item.island = null;
        item.open = true;
        item.status = "placing";
        Set<IslandId> avoid = new TreeSet<>();
        if (item.failedOn.isEmpty()) {
            avoid.addAll(round);
        } else {
            item.failedOn.forEach(island -> avoid.add(new IslandId(island)));
        }
        return new Attempt(this, index, item.attempts, item.jobId, new ItemRelay(), Set.copyOf(avoid));
    }

    /** The attempt's bid went in: {@code outcome} says where it went at once (null when not known). */
    synchronized void submitted(Attempt attempt, @Nullable BidOutcome outcome, StreamSubscription subscription) {
        Item item = items.get(attempt.index());
        if (!isCurrent(attempt)) {
            subscription.close();
            return;
        }
        item.subscription = subscription;
        if (outcome != null && outcome.islandId() != null) {
            if (round.contains(outcome.islandId())) {
                round.clear();
            }
            round.add(outcome.islandId());
        }
    }

    /** The market placed the attempt's job on {@code island} (again, after the Island before it lost the job). */
    synchronized void placed(Attempt attempt, String island) {
        if (!isCurrent(attempt)) {
            return;
        }
        Item item = items.get(attempt.index());
        item.island = island;
        item.status = "running";
        save(item);
        emit("item_started", itemEvent(item).put("island", island));
    }

    /** The attempt's job completed and settled {@code cost} for {@code units}; {@code text} is its output. */
    synchronized void completed(Attempt attempt, String island, long units, long cost, @Nullable String text) {
        if (!isCurrent(attempt)) {
            return;
        }
        Item item = items.get(attempt.index());
        close(item);
        item.status = "completed";
        item.island = island;
        item.units = units;
        item.cost = cost;
        item.result = text;
        item.reason = text == null ? "the job completed but its output did not reach the coordinator" : null;
        save(item);
        emit("item_completed", itemEvent(item).put("island", island).put("units", units)
                .put("cost_micro_credits", cost));
        endIfDone();
    }

    /**
     * The attempt ended without a result ({@code island}: where it ran, if anywhere). It is tried again as a new job
     * while {@code retryable} and attempts are left, else the item has failed for {@code reason}.
     */
    synchronized void failed(Attempt attempt, @Nullable String island, String reason, boolean retryable) {
        if (!isCurrent(attempt)) {
            return;
        }
        Item item = items.get(attempt.index());
        close(item);
        if (island != null && !item.failedOn.contains(island)) {
            item.failedOn.add(island);
        }
        item.reason = reason;
        if (retryable && item.attempts < maxAttempts && terms == null) {
            item.reason = reason + "; not retried: " + RESTARTED + " and its input is not kept";
        } else if (retryable && item.attempts < maxAttempts) {
            item.status = "queued";
            save(item);
            ObjectNode event = itemEvent(item).put("reason", reason).put("next_attempt", item.attempts + 1);
            event.put("island", island);
            event.set("avoiding", json.valueToTree(item.failedOn));
            emit("item_retried", event);
            waiting.add(item.index);
            return;
        }
        item.status = "failed";
        save(item);
        ObjectNode event = itemEvent(item).put("reason", item.reason);
        event.put("island", island);
        emit("item_failed", event);
        endIfDone();
    }

    /** An Island lost the attempt's job before it streamed; the market places it elsewhere on its own. */
    synchronized void lost(Attempt attempt, String island) {
        if (!isCurrent(attempt)) {
            return;
        }
        Item item = items.get(attempt.index());
        if (!item.failedOn.contains(island)) {
            item.failedOn.add(island);
        }
        item.status = "placing";
        save(item);
    }

    private boolean isCurrent(Attempt attempt) {
        Item item = items.get(attempt.index());
        return item.open && item.attempts == attempt.number();
    }

    private void close(Item item) {
        item.open = false;
        if (item.subscription != null) {
            item.subscription.close();
            item.subscription = null;
        }
    }

    private void endIfDone() {
        if (ended || items.stream().anyMatch(item -> !item.isOver())) {
            return;
        }
        ended = true;
        long completed = items.stream().filter(item -> item.status.equals("completed")).count();
        long cost = items.stream().filter(item -> item.cost != null).mapToLong(item -> item.cost).sum();
        String status = completed == items.size() ? "completed" : completed == 0 ? "failed"
                : "completed_with_failures";
        store.finish(id, status, clock.instant());
        emit(BatchEvents.LAST, json.createObjectNode().put("batch", id).put("status", status)
                .put("total", items.size()).put("completed", completed).put("failed", items.size() - completed)
                .put("cost_micro_credits", cost));
        waiting.add(END);
    }

    private ObjectNode itemEvent(Item item) {
        return json.createObjectNode().put("batch", id).put("index", item.index).put("job_id", item.jobId)
                .put("attempt", item.attempts);
    }

    private void save(Item item) {
        store.update(id, new StoredItem(item.index, item.status, item.jobId, item.island, item.attempts, item.units,
                item.cost, List.copyOf(item.failedOn), item.reason, item.result));
    }

    private void emit(String type, ObjectNode data) {
        events.append(id, nextSeq++, type, data.toString());
    }

    /** An item's state; guarded by the run's lock. */
    private static final class Item {
        final int index;
        final List<String> failedOn = new ArrayList<>();
        String status = "queued";
        int attempts;
        boolean open;
        @Nullable String jobId;
        @Nullable String island;
        @Nullable Long units;
        @Nullable Long cost;
        @Nullable String reason;
        @Nullable String result;
        @Nullable StreamSubscription subscription;

        Item(int index) {
            this.index = index;
        }

        boolean isOver() {
            return status.equals("completed") || status.equals("failed");
        }
    }
}
