package io.archipelago.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archipelago.agent.pipeline.PipelineModel;
import io.archipelago.agent.pipeline.QueuedSubscription;
import io.archipelago.agent.pipeline.StageRun;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.JobAccepted;
import io.archipelago.protocol.JobCancel;
import io.archipelago.protocol.JobOffer;
import io.archipelago.protocol.JobOutput;
import io.archipelago.protocol.Payload;
import io.archipelago.protocol.Payloads;
import io.archipelago.protocol.PeerProbe;
import io.archipelago.protocol.PeerProbeReply;
import io.archipelago.protocol.Probe;
import io.archipelago.protocol.ProbeReply;
import io.archipelago.protocol.RejectedMessage;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Island's side of NATS: answers probes at once (on their own dispatcher, so a flood of offers cannot delay
 * them), accepts the offers it has a free slot and the Cargo for, runs each on the runtime, and streams its output
 * numbered from 0, then the final message with the units used, or an error. A cancelled job stops at its next piece.
 */
final class JobRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /** How long a peer probe's ping waits for its echo. */
    private static final Duration PEER_ECHO_WAIT = Duration.ofMillis(500);
    private static final long HOLD_SLICE_MILLIS = 100;

    private final String islandId;
    private final Connection nats;
    private final JobRuntime runtime;
    private final Set<String> cargos;
    private final int slots;
    private final ExecutorService workers;
    private final AtomicInteger running = new AtomicInteger();
    private final Map<String, AtomicBoolean> cancellations = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final @Nullable PipelineModel stages;
    private final Duration stagePause;
    /** The memory in MiB this Island offers pipeline stages, in every probe answer. */
    private volatile long memoryMib = OfferedMemory.mib();
    private @Nullable Dispatcher probes;
    private @Nullable Dispatcher jobs;

    JobRunner(String islandId, Connection nats, JobRuntime runtime, Set<String> cargos, int slots) {
        this(islandId, nats, runtime, cargos, slots, null);
    }

    /** A runner that also takes pipeline stages of {@code stages}' model (null: it takes none). */
    JobRunner(String islandId, Connection nats, JobRuntime runtime, Set<String> cargos, int slots,
              @Nullable PipelineModel stages) {
        this(islandId, nats, runtime, cargos, slots, stages, Duration.ZERO);
    }

    /**
     * As above, holding each stage it took for {@code stagePause} before it runs (or until the job is cancelled), so
     * that a demo or a test sees a pipeline job running mid-way.
     */
    JobRunner(String islandId, Connection nats, JobRuntime runtime, Set<String> cargos, int slots,
              @Nullable PipelineModel stages, Duration stagePause) {
        this.stages = stages;
        this.stagePause = stagePause;
        this.islandId = islandId;
        this.nats = nats;
        this.runtime = runtime;
        this.cargos = Set.copyOf(cargos);
        this.slots = slots;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(slots, task -> {
            Thread thread = new Thread(task, islandId + "-job-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() throws InterruptedException, TimeoutException {
        probes = nats.createDispatcher(this::probe);
        probes.subscribe(Subjects.probe(islandId));
        probes.subscribe(Subjects.peerPingsTo(islandId));
        probes.subscribe(Subjects.peerProbe(islandId));
        jobs = nats.createDispatcher(this::dispatch);
        jobs.subscribe(Subjects.jobs(islandId));
        jobs.subscribe(Subjects.cancel(islandId));
        nats.flush(Duration.ofSeconds(5));
    }

    int running() {
        return running.get();
    }

    /** Offers {@code mib} MiB to pipeline stages from the next probe answer on, instead of the heap limit. */
    void offerMemory(long mib) {
        this.memoryMib = mib;
    }

    long refused() {
        return refused.get();
    }

    private void probe(Message message) {
        String pinger = Subjects.senderOfPeerPing(message.getSubject());
        if (pinger != null) {
            // another Island measuring its round trip to this one: echo at once, on the hop back to it
            nats.publish(Subjects.peerPing(islandId, pinger), message.getData());
            return;
        }
        if (message.getSubject().equals(Subjects.peerProbe(islandId))) {
            peerProbe(message);
            return;
        }
        try {
            Probe probe = Codec.decode(message.getData(), Probe.class);
            if (message.getReplyTo() != null) {
                nats.publish(message.getReplyTo(),
                        Codec.encode(new ProbeReply(Codec.VERSION, islandId, probe.nonce(), running.get(),
                                memoryMib)));
            }
        } catch (RejectedMessage rejected) {
            refused.incrementAndGet();
        }
    }

    /**
     * Measures the round trip to the probe's peer off the probe dispatcher (the pings wait for their echoes): each
     * ping waits at most {@link #PEER_ECHO_WAIT} for its echo; the median of those that came back is the answer.
     */
    private void peerProbe(Message message) {
        PeerProbe probe;
        try {
            probe = Codec.decode(message.getData(), PeerProbe.class);
        } catch (RejectedMessage rejected) {
            refused.incrementAndGet();
            return;
        }
        String replyTo = message.getReplyTo();
        if (replyTo == null || probe.peer().equals(islandId)) {
            return;
        }
        Thread measuring = new Thread(() -> {
            List<Long> rtts = new ArrayList<>();
            QueuedSubscription echoes = QueuedSubscription.open(nats, Subjects.peerPing(probe.peer(), islandId));
            try {
                for (int i = 0; i < probe.samples(); i++) {
                    byte[] nonce = (islandId + ":" + i + ":" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
                    long start = System.nanoTime();
                    nats.publish(Subjects.peerPing(islandId, probe.peer()), nonce);
                    long until = start + PEER_ECHO_WAIT.toNanos();
                    for (Message echo = echoes.nextMessage(PEER_ECHO_WAIT); echo != null;
                         echo = System.nanoTime() < until ? echoes.nextMessage(PEER_ECHO_WAIT) : null) {
                        if (Arrays.equals(echo.getData(), nonce)) {
                            rtts.add((System.nanoTime() - start) / 1_000);
                            break;
                        }
                    }
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            } finally {
                echoes.close();
            }
            Collections.sort(rtts);
            long median = rtts.isEmpty() ? 0 : rtts.get(rtts.size() / 2);
            nats.publish(replyTo, Codec.encode(new PeerProbeReply(Codec.VERSION, islandId, probe.peer(), median,
                    rtts.size())));
        }, islandId + "-peer-probe");
        measuring.setDaemon(true);
        measuring.start();
    }

    private void dispatch(Message message) {
        if (message.getSubject().equals(Subjects.cancel(islandId))) {
            cancel(message);
        } else {
            offer(message);
        }
    }

    private void cancel(Message message) {
        try {
            JobCancel cancel = Codec.decode(message.getData(), JobCancel.class);
            AtomicBoolean flag = cancellations.get(cancel.jobId());
            if (flag != null) {
                flag.set(true);
                LOG.info("job {} cancelled by the coordinator: {}", cancel.jobId(), cancel.reason());
            }
        } catch (RejectedMessage rejected) {
            refused.incrementAndGet();
        }
    }

    private void offer(Message message) {
        JobOffer offer;
        try {
            offer = Codec.decode(message.getData(), JobOffer.class);
        } catch (RejectedMessage rejected) {
            refused.incrementAndGet();
            return;
        }
        if (message.getReplyTo() == null) {
            return;
        }
        if (!cargos.contains(offer.cargo())) {
            reply(message, JobAccepted.no(offer.jobId(), "this island does not serve " + offer.cargo()));
            return;
        }
        if (offer.stage() != null && stages == null) {
            reply(message, JobAccepted.no(offer.jobId(), "this island runs no pipeline stages"));
            return;
        }
        if (running.incrementAndGet() > slots) {
            running.decrementAndGet();
            reply(message, JobAccepted.no(offer.jobId(), "every slot is busy"));
            return;
        }
        StageRun stage = null;
        if (offer.stage() != null && stages != null) {
            try {
                // subscribed before the answer: the previous stage is offered its part only once this one took it
                stage = StageRun.open(nats, stages, islandId, offer.jobId(), offer.stage());
            } catch (RuntimeException cannot) {
                running.decrementAndGet();
                reply(message, JobAccepted.no(offer.jobId(), cannot.getMessage()));
                return;
            }
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        cancellations.put(offer.jobId(), cancelled);
        reply(message, JobAccepted.yes(offer.jobId()));
        StageRun taken = stage;
        workers.execute(() -> {
            if (taken == null) {
                run(offer, cancelled);
            } else {
                runStage(offer, taken, cancelled);
            }
        });
    }

    /**
     * Runs this Island's stage of a pipeline job. Only the last stage's output is the job's, numbered and closed
     * with its units as any job's; every stage reports a failure on its own results subject.
     */
    private void runStage(JobOffer offer, StageRun stage, AtomicBoolean cancelled) {
        String subject = Subjects.results(islandId, offer.jobId());
        AtomicLong seq = new AtomicLong();
        boolean last = offer.stage() != null && offer.stage().last();
        try (stage) {
            hold(cancelled);
            long tokens = stage.run(offer.input(), offer.deadlineEpochMillis(), cancelled::get, (index, vector) -> {
                ObjectNode chunk = Codec.json().createObjectNode().put("index", index);
                ArrayNode values = chunk.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
                nats.publish(subject, Codec.encode(JobOutput.chunk(offer.jobId(), seq.getAndIncrement(),
                        Payloads.TextDelta.of(chunk.toString()))));
            });
            if (last && !cancelled.get()) {
                nats.publish(subject, Codec.encode(JobOutput.done(offer.jobId(), seq.get(), Units.ofTokens(tokens))));
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (Exception failed) {
            LOG.warn("stage of job {} failed: {}", offer.jobId(), failed.toString());
            nats.publish(subject, Codec.encode(JobOutput.error(offer.jobId(),
                    failed.getClass().getSimpleName() + ": " + failed.getMessage())));
        } finally {
            cancellations.remove(offer.jobId());
            running.decrementAndGet();
        }
    }

    private void hold(AtomicBoolean cancelled) throws InterruptedException {
        long until = System.nanoTime() + stagePause.toNanos();
        while (!cancelled.get() && until - System.nanoTime() > 0) {
            Thread.sleep(Math.min(HOLD_SLICE_MILLIS, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    private void run(JobOffer offer, AtomicBoolean cancelled) {
        String subject = Subjects.results(islandId, offer.jobId());
        AtomicLong seq = new AtomicLong();
        try {
            long units = runtime.run(offer.cargo(), offer.input(), offer.maxUnits(), offer.version(), new Output() {
                @Override
                public void send(Payload payload) {
                    nats.publish(subject,
                            Codec.encode(JobOutput.chunk(offer.jobId(), seq.getAndIncrement(), payload)));
                }

                @Override
                public boolean cancelled() {
                    return cancelled.get();
                }
            });
            if (!cancelled.get()) {
                nats.publish(subject, Codec.encode(JobOutput.done(offer.jobId(), seq.get(), units)));
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (Exception failed) {
            LOG.warn("job {} failed: {}", offer.jobId(), failed.toString());
            nats.publish(subject, Codec.encode(JobOutput.error(offer.jobId(),
                    failed.getClass().getSimpleName() + ": " + failed.getMessage())));
        } finally {
            cancellations.remove(offer.jobId());
            running.decrementAndGet();
        }
    }

    private void reply(Message message, JobAccepted answer) {
        nats.publish(message.getReplyTo(), Codec.encode(answer));
    }

    @Override
    public void close() {
        if (probes != null) {
            nats.closeDispatcher(probes);
        }
        if (jobs != null) {
            nats.closeDispatcher(jobs);
        }
        cancellations.values().forEach(flag -> flag.set(true));
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
