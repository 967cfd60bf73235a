package io.archipelago.projections.chain;

import io.archipelago.projections.CheckpointWitness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Signs the head of the chain this node writes, as node {@code node} with its own key, and appends it to
 * {@code <data-dir>/}{@value ChainCheckpoint#FILE}, one JSON line per {@link ChainCheckpoint}: once {@code every}
 * links were added since the last checkpoint, at the latest {@code interval} after a link was added, and at shutdown.
 * Only the node whose processor extends the chain has a head to sign. The file is append-only and flushed to disk
 * with each line; each checkpoint then goes to every {@link CheckpointWitness}.
 */
final class ChainCheckpoints implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ChainCheckpoints.class);

    private final Path file;
    private final ChainSigningKey key;
    private final String node;
    private final long every;
    private final Clock clock;
    private final List<CheckpointWitness> witnesses;
    private final ScheduledExecutorService timer;
    private @Nullable Head unsigned;
    /** The link the last checkpoint of this run covers: 0 at a start, so a long chain's first batch is signed. */
    private long signedPosition;

    ChainCheckpoints(Path dataDir, ChainSigningKey key, String node, long every, Duration interval, Clock clock,
                     List<CheckpointWitness> witnesses) {
        this.file = dataDir.resolve(ChainCheckpoint.FILE);
        this.key = key;
        this.node = node;
        this.every = every;
        this.clock = clock;
        this.witnesses = List.copyOf(witnesses);
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "event-chain-checkpoints");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::timed, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The chain, committed, now ends with link {@code position} for the event at {@code globalIndex}. */
    synchronized void linked(long position, long globalIndex, String hash) {
        unsigned = new Head(position, globalIndex, hash);
        if (position - signedPosition >= every) {
            checkpoint();
        }
    }

    /** Signs the head unless it is signed already. */
    synchronized void checkpoint() {
        Head head = unsigned;
        if (head == null) {
            return;
        }
        ChainCheckpoint checkpoint = ChainCheckpoint.signed(head.position(), head.globalIndex(), head.hash(),
                clock.instant().toString(), node, key);
        try {
            Files.writeString(file, checkpoint.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot append the chain's checkpoint to " + file, failed);
        }
        signedPosition = head.position();
        unsigned = null;
        witnesses.forEach(witness -> witness.witness(checkpoint.position(), checkpoint.line()));
    }

    private void timed() {
        try {
            checkpoint();
        } catch (UncheckedIOException failed) {
            LOG.warn("event chain checkpoint failed, tried again in the next interval: {}", failed.getMessage());
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
        checkpoint();
    }

    private record Head(long position, long globalIndex, String hash) {
    }
}
