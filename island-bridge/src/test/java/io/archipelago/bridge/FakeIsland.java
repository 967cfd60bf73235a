package io.archipelago.bridge;

import io.archipelago.bridge.nats.LocalNatsServer;
import io.archipelago.protocol.NKeyAuth;
import io.archipelago.protocol.Codec;
import io.archipelago.protocol.JobAccepted;
import io.archipelago.protocol.JobCancel;
import io.archipelago.protocol.JobOffer;
import io.archipelago.protocol.JobOutput;
import io.archipelago.protocol.Probe;
import io.archipelago.protocol.ProbeReply;
import io.archipelago.protocol.RejectedMessage;
import io.archipelago.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A hand-driven Island on a raw NATS connection with its own admitted key: it accepts every offer and answers
 * probes (both can be switched off) and publishes whatever output a test tells it to, well formed or not.
 */
final class FakeIsland implements AutoCloseable {

    final String islandId;
    final Connection connection;
    final List<JobOffer> offers = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    /** The jobs this Island was told to stop, in the order it was told. */
    final List<String> cancels = new CopyOnWriteArrayList<>();
    volatile boolean answersProbes = true;
    /** The memory each probe answer reports; null reports none. */
    volatile @Nullable Long memoryMib;
    volatile boolean acceptsJobs = true;
    /** When set, every accepted job is answered at once with one chunk and the final message. */
    volatile boolean answersJobs;
    /** Offers are answered once this completes: a test can make things happen while an answer is due. */
    volatile CompletableFuture<Void> answerWhen = CompletableFuture.completedFuture(null);

    FakeIsland(LocalNatsServer server, String islandId) throws IOException, InterruptedException, TimeoutException {
        this.islandId = islandId;
        this.connection = Nats.connect(new Options.Builder().server(server.url())
                .authHandler(NKeyAuth.fromSeed(server.admit(islandId).nkeySeed()))
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        errors.add(error);
                    }
                }).build());
        connection.createDispatcher(message -> {
            try {
                JobOffer offer = Codec.decode(message.getData(), JobOffer.class);
                if (acceptsJobs) {
                    offers.add(offer);
                    answerWhen.get(10, TimeUnit.SECONDS);
                    connection.publish(message.getReplyTo(), Codec.encode(JobAccepted.yes(offer.jobId())));
                    if (answersJobs) {
                        send(JobOutput.chunk(offer.jobId(), 0, "token"));
                        send(JobOutput.done(offer.jobId(), 1, 1));
                    }
                }
            } catch (RejectedMessage | ExecutionException | TimeoutException impossible) {
                throw new IllegalStateException(impossible);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }).subscribe(Subjects.jobs(islandId));
        connection.createDispatcher(message -> {
            try {
                Probe probe = Codec.decode(message.getData(), Probe.class);
                if (answersProbes) {
                    connection.publish(message.getReplyTo(),
                            Codec.encode(new ProbeReply(Codec.VERSION, islandId, probe.nonce(), offers.size(),
                                    memoryMib)));
                }
            } catch (RejectedMessage impossible) {
                throw new IllegalStateException(impossible);
            }
        }).subscribe(Subjects.probe(islandId));
        connection.createDispatcher(message -> {
            try {
                cancels.add(Codec.decode(message.getData(), JobCancel.class).jobId());
            } catch (RejectedMessage impossible) {
                throw new IllegalStateException(impossible);
            }
        }).subscribe(Subjects.cancel(islandId));
        connection.flush(Duration.ofSeconds(2));
    }

    void send(JobOutput output) {
        connection.publish(Subjects.results(islandId, output.jobId()), Codec.encode(output));
    }

    void sendRaw(String jobId, byte[] bytes) {
        connection.publish(Subjects.results(islandId, jobId), bytes);
    }

    @Override
    public void close() throws InterruptedException {
        connection.close();
    }
}
