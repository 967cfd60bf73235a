package io.archipelago.projections.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.ids.Karma;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.BidCancelled;
import io.archipelago.exchange.market.api.BidRejected;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.JobCancelled;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import io.archipelago.exchange.market.api.JobStarted;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.RejectionReason;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.UnitPrice;
import io.archipelago.projections.ReadModelDatabase;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class JobProjectionTest {

    private static final CargoType LLAMA = new CargoType("llm.chat.llama3-8b");
    private static final AccountId ALICE = new AccountId("alice");
    private static final AccountId BOB = new AccountId("bob");
    private static final AccountId META = new AccountId("meta");
    private static final IslandId ISLAND = new IslandId("island-1");
    private static final JobId JOB = new JobId("job-1");
    private static final Instant T0 = Instant.parse("2025-03-03T10:00:00Z");
    private static final UnitPrice PRICE = new UnitPrice(PricePerUnit.of(100), PricePerUnit.of(20),
            PricePerUnit.of(7));

    private final JdbcClient jdbc = ReadModelDatabase.jdbc();
    private final JobProjection projection = new JobProjection(ReadModelDatabase.writes());
    private final JobViews jobs = new JobViews(jdbc);

    @BeforeEach
    void clean() {
        ReadModelDatabase.clean();
    }

    @Test
    void aJobIsFollowedFromItsBidToItsSettlement() {
        submit(JOB, 10);
        assertThat(jobs.find("job-1").orElseThrow().status()).isEqualTo(JobStatus.RESTING);
        place(11);
        assertThat(jobs.find("job-1").orElseThrow().status()).isEqualTo(JobStatus.PLACED);
        projection.on(new JobStarted(LLAMA, JOB, ISLAND, 1_500, T0.plusSeconds(2)), 12);
        complete(13);

        JobView job = jobs.find("job-1").orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.cargo()).isEqualTo(LLAMA.value());
        assertThat(job.consumer()).isEqualTo("alice");
        assertThat(job.limitMicroCredits()).isEqualTo(150);
        assertThat(job.escrowMicroCredits()).isEqualTo(1_500);
        assertThat(job.jurisdiction()).isEqualTo("EU");
        assertThat(job.islandId()).isEqualTo("island-1");
        assertThat(job.host()).isEqualTo("bob");
        assertThat(job.priceMicroCredits()).isEqualTo(127);
        assertThat(job.rttMicros()).isEqualTo(800);
        assertThat(job.ttftMicros()).isEqualTo(1_500);
        assertThat(job.units()).isEqualTo(4);
        assertThat(job.chargedMicroCredits()).isEqualTo(508);
        assertThat(job.releasedMicroCredits()).isEqualTo(992);
        assertThat(job.submittedAt()).isEqualTo(T0);
        assertThat(job.placedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(job.startedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(job.finishedAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void aCancelledJobShowsTheUnitsItSettledAndWhy() {
        submit(JOB, 10);
        place(11);
        projection.on(new JobCancelled(LLAMA, JOB, ALICE, ISLAND, BOB, META, 1, PRICE, MicroCredits.of(127),
                MicroCredits.of(100), MicroCredits.of(20), MicroCredits.of(7), MicroCredits.of(1_373),
                "the client closed the connection", T0.plusSeconds(3)), 12);

        JobView job = jobs.find("job-1").orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.units()).isEqualTo(1);
        assertThat(job.chargedMicroCredits()).isEqualTo(127);
        assertThat(job.releasedMicroCredits()).isEqualTo(1_373);
        assertThat(job.detail()).isEqualTo("the client closed the connection");
    }

    @Test
    void aBidCancelledBeforeAnyIslandTookItReleasedItsWholeEscrow() {
        submit(JOB, 10);
        projection.on(new BidCancelled(LLAMA, JOB, ALICE, MicroCredits.of(1_500), "the client closed the connection",
                T0.plusSeconds(2)), 11);

        JobView job = jobs.find("job-1").orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.chargedMicroCredits()).isZero();
        assertThat(job.releasedMicroCredits()).isEqualTo(1_500);
    }

    @Test
    void eventsDeliveredAgainNeverMoveAJobBack() {
        submit(JOB, 10);
        place(11);
        complete(13);
        submit(JOB, 10);
        place(11);

        JobView job = jobs.find("job-1").orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.placedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(job.updatedAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void aDuplicateSubmissionIsRejectedWithoutTouchingTheJobItDuplicates() {
        submit(JOB, 10);
        place(11);
        projection.on(new BidRejected(LLAMA, JOB, ALICE, RejectionReason.MARKET_DUPLICATE_JOB, "already submitted",
                T0.plusSeconds(5)), 12);

        assertThat(jobs.find("job-1").orElseThrow().status()).isEqualTo(JobStatus.PLACED);
    }

    @Test
    void aRejectedBidIsAJobThatEndedAtOnceWithItsReason() {
        projection.on(new BidRejected(LLAMA, new JobId("job-2"), ALICE, RejectionReason.LEDGER_INSUFFICIENT_CREDITS,
                "the worst case exceeds the available credits", T0), 3);

        JobView job = jobs.find("job-2").orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.REJECTED);
        assertThat(job.rejectionReason()).isEqualTo("LEDGER_INSUFFICIENT_CREDITS");
        assertThat(job.detail()).contains("available credits");
        assertThat(job.escrowMicroCredits()).isNull();
        assertThat(job.finishedAt()).isEqualTo(T0);
    }

    @Test
    void failedAndExpiredJobsReleaseTheirEscrow() {
        submit(JOB, 10);
        place(11);
        projection.on(new JobFailed(LLAMA, JOB, ALICE, ISLAND, "out of memory", MicroCredits.of(1_500),
                T0.plusSeconds(4)), 12);
        JobId resting = new JobId("job-3");
        submit(resting, 13);
        projection.on(new BidExpired(LLAMA, resting, ALICE, MicroCredits.of(1_500), T0.plusSeconds(600)), 14);

        JobView failed = jobs.find("job-1").orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.detail()).isEqualTo("out of memory");
        assertThat(failed.releasedMicroCredits()).isEqualTo(1_500);
        JobView expired = jobs.find("job-3").orElseThrow();
        assertThat(expired.status()).isEqualTo(JobStatus.EXPIRED);
        assertThat(expired.finishedAt()).isEqualTo(T0.plusSeconds(600));
    }

    @Test
    void aJobTakenBackFromItsIslandRestsAgainWithoutItsFormerPlacement() {
        submit(JOB, 10);
        place(11);
        projection.on(new JobReassigned(LLAMA, JOB, ALICE, ISLAND, "stalled past its deadline", T0.plusSeconds(2)),
                12);

        JobView resting = jobs.find("job-1").orElseThrow();
        assertThat(resting.status()).isEqualTo(JobStatus.RESTING);
        assertThat(resting.islandId()).isNull();
        assertThat(resting.priceMicroCredits()).isNull();
        assertThat(resting.placedAt()).isNull();
        assertThat(resting.detail()).isEqualTo("taken back from island-1: stalled past its deadline");

        place(13);
        assertThat(jobs.find("job-1").orElseThrow().status()).isEqualTo(JobStatus.PLACED);
    }

    @Test
    void anUnknownJobIsAbsent() {
        assertThat(jobs.find("nope")).isEmpty();
    }

    private void submit(JobId jobId, long sequence) {
        projection.on(new BidSubmitted(LLAMA, jobId, ALICE, PricePerUnit.of(150), 10,
                new JurisdictionPolicy("EU", Set.of(Country.of("DE"), Country.of("FR"))), Karma.NONE, Long.MAX_VALUE,
                false, MicroCredits.of(1_500), T0.plusSeconds(300), T0), sequence);
    }

    private void place(long sequence) {
        projection.on(new JobPlaced(LLAMA, JOB, ALICE, ISLAND, BOB, PRICE, 800, Karma.INITIAL, T0.plusSeconds(1)),
                sequence);
    }

    private void complete(long sequence) {
        projection.on(new JobCompleted(LLAMA, JOB, ALICE, ISLAND, BOB, META, 4, PRICE, MicroCredits.of(508),
                MicroCredits.of(400), MicroCredits.of(80), MicroCredits.of(28), MicroCredits.of(992),
                T0.plusSeconds(3)), sequence);
    }
}
