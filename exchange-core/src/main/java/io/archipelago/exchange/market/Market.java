package io.archipelago.exchange.market;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.account.api.Accounts;
import io.archipelago.exchange.account.api.BidPreferences;
import io.archipelago.exchange.account.api.EarningsKind;
import io.archipelago.exchange.account.api.Reservation;
import io.archipelago.exchange.ids.Country;
import io.archipelago.exchange.island.api.IslandConditions;
import io.archipelago.exchange.ids.IslandId;
import io.archipelago.exchange.island.api.IslandListing;
import io.archipelago.exchange.island.api.Islands;
import io.archipelago.exchange.island.api.JobOutcome;
import io.archipelago.exchange.market.api.AskPlaced;
import io.archipelago.exchange.market.api.AskRepriced;
import io.archipelago.exchange.market.api.AskWithdrawn;
import io.archipelago.exchange.market.api.BidCancelled;
import io.archipelago.exchange.market.api.BidExpired;
import io.archipelago.exchange.market.api.BidOutcome;
import io.archipelago.exchange.market.api.BidQuote;
import io.archipelago.exchange.market.api.BidRejected;
import io.archipelago.exchange.market.api.BidSubmitted;
import io.archipelago.exchange.market.api.CargoRegistered;
import io.archipelago.exchange.market.api.CargoVersionDeprecated;
import io.archipelago.exchange.market.api.CargoVersionPublished;
import io.archipelago.exchange.market.api.CargoVersionReviewed;
import io.archipelago.exchange.market.api.CargoVersionSelected;
import io.archipelago.exchange.market.api.CargoVersionYanked;
import io.archipelago.exchange.market.api.DeprecateCargoVersion;
import io.archipelago.exchange.market.api.JobVersionAssigned;
import io.archipelago.exchange.market.api.PublishCargoVersion;
import io.archipelago.exchange.market.api.VersionStatus;
import io.archipelago.exchange.market.api.YankCargoVersion;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.market.api.CancelJob;
import io.archipelago.exchange.market.api.CargoUnit;
import io.archipelago.exchange.market.api.ClearMarketRate;
import io.archipelago.exchange.market.api.CompleteJob;
import io.archipelago.exchange.market.api.ExpireBids;
import io.archipelago.exchange.market.api.FailJob;
import io.archipelago.exchange.market.api.IslandConditionsChanged;
import io.archipelago.exchange.market.api.JobCancelled;
import io.archipelago.exchange.market.api.JobCompleted;
import io.archipelago.exchange.market.api.JobFailed;
import io.archipelago.exchange.ids.JobId;
import io.archipelago.exchange.market.api.JobPlaced;
import io.archipelago.exchange.market.api.JobReassigned;
import io.archipelago.exchange.market.api.JobStarted;
import io.archipelago.exchange.market.api.JurisdictionPolicy;
import io.archipelago.exchange.market.api.MarketRateCleared;
import io.archipelago.exchange.market.api.PlaceAsk;
import io.archipelago.exchange.market.api.DeclarePipeline;
import io.archipelago.exchange.market.api.CompletePipeline;
import io.archipelago.exchange.market.api.FailPipeline;
import io.archipelago.exchange.market.api.PipelineCompleted;
import io.archipelago.exchange.market.api.PipelineDeclared;
import io.archipelago.exchange.market.api.PipelineFailed;
import io.archipelago.exchange.market.api.PipelineFunded;
import io.archipelago.exchange.market.api.PipelineOutcome;
import io.archipelago.exchange.market.api.StageSettlement;
import io.archipelago.exchange.market.api.PipelinePlaced;
import io.archipelago.exchange.market.api.PipelinePlan;
import io.archipelago.exchange.market.api.PipelineShape;
import io.archipelago.exchange.market.api.PipelineUnplaceable;
import io.archipelago.exchange.market.api.PlacePipeline;
import io.archipelago.exchange.market.api.PlacedStage;
import io.archipelago.exchange.market.api.StageCandidate;
import io.archipelago.exchange.market.api.StagePlacement;
import io.archipelago.exchange.market.api.QuoteBid;
import io.archipelago.exchange.market.api.ReassignJob;
import io.archipelago.exchange.market.api.RegisterCargo;
import io.archipelago.exchange.market.api.RejectionReason;
import io.archipelago.exchange.market.api.RepriceAsk;
import io.archipelago.exchange.market.api.ReviewCargoVersion;
import io.archipelago.exchange.market.api.SelectCargoVersion;
import io.archipelago.exchange.market.api.StartJob;
import io.archipelago.exchange.market.api.SubmitBid;
import io.archipelago.exchange.market.api.SubmitBids;
import io.archipelago.exchange.market.api.WithdrawAsk;
import io.archipelago.exchange.money.MicroCredits;
import io.archipelago.exchange.money.MoneyCaps;
import io.archipelago.exchange.money.PricePerUnit;
import io.archipelago.exchange.pricing.Pricing;
import io.archipelago.exchange.pricing.UnitPrice;
import io.archipelago.exchange.publisher.api.CargoSignatures;
import io.archipelago.exchange.publisher.api.PublisherProfile;
import io.archipelago.exchange.publisher.api.Publishers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.jspecify.annotations.Nullable;

/**
 * The market of one Cargo type: asks, resting bids, running jobs and the trades the rate is cleared from. Each
 * handler asks the {@link OrderBook} for a decision and applies the events that record it; escrow and earnings go
 * through {@link Accounts} and karma through {@link Islands}, in the same unit of work, so a bid's reservation and
 * its placement, or a job's settlement and its earnings, commit together or not at all.
 */
public class Market {

    @AggregateIdentifier
    private CargoType cargo;
    private CargoUnit unit;
    private AccountId publisher;
    private PricePerUnit registeredRoyalty;
    private OrderBook book;
    private RateWindow window;
    private CargoVersions versions;
    /** When the latest version was published: a rollout's decision older than it selects nothing. */
    private @Nullable Instant lastPublishedAt;
    /** The version each running job runs, when it runs a published one. */
    private final Map<JobId, CargoVersions.Version> jobVersions = new HashMap<>();
    private final Reviews reviews = new Reviews();
    /** The stages this Cargo type runs as, when it runs as a pipeline. */
    private @Nullable PipelineShape pipeline;
    /** Pipeline jobs already placed or refused, so that a job id is used once. */
    private final Set<JobId> pipelineJobs = new HashSet<>();
    /** Pipeline jobs funded and placed that have not ended yet. */
    private final Map<JobId, RunningPipeline> runningPipelines = new HashMap<>();

    protected Market() {
        // for Axon
    }

    @CommandHandler
    public Market(RegisterCargo command) {
        MoneyCaps.price("a Cargo's royalty", command.royalty());
        apply(new CargoRegistered(command.cargo(), command.unit(), command.publisher(), command.royalty(),
                command.at()));
    }

    /**
     * Publishes a version of this Cargo type, verified against its publisher's registered key in this unit of work:
     * any refusal throws before anything is recorded. The version may change which one new jobs run
     * ({@link CargoVersions}) and so the royalty asks are priced with; resting bids may be placed at once.
     */
    @CommandHandler
    void handle(PublishCargoVersion command, Publishers publishers, CargoSignatures signatures) {
        CargoVersions.checkName(command.version());
        if (command.manifest().unit() != unit) {
            throw new IllegalArgumentException("the manifest prices per " + command.manifest().unit() + " but "
                    + cargo + " is priced per " + unit);
        }
        MoneyCaps.price("a Cargo version's royalty", command.manifest().royalty());
        if (versions.find(command.version()).isPresent()) {
            throw new IllegalStateException("version " + command.version() + " of " + cargo
                    + " was already published: publish a new version");
        }
        PublisherProfile profile = publishers.profileOf(command.publisher()).orElseThrow(() ->
                new IllegalArgumentException("account " + command.publisher() + " has no publisher profile: "
                        + "register one with its signing key first"));
        signatures.verify(profile.signingKey(), command.image().repository(), command.image().digest(),
                command.signature().payload(), command.signature().signature());
        apply(new CargoVersionPublished(cargo, command.version(), command.publisher(), command.image(),
                command.manifest(), command.signature(), profile.signingKey(), command.at(), profile.keyId()));
        placeRestingBids(command.at());
    }

    @CommandHandler
    void handle(DeprecateCargoVersion command) {
        CargoVersions.Version version = versionFor(command.version(), command.by(), command.reason());
        if (version.status() != VersionStatus.ACTIVE) {
            return;
        }
        apply(new CargoVersionDeprecated(cargo, command.version(), command.by(), command.reason(), command.at()));
    }

    @CommandHandler
    void handle(YankCargoVersion command) {
        CargoVersions.Version version = versionFor(command.version(), command.by(), command.reason());
        if (version.status() == VersionStatus.YANKED) {
            return;
        }
        apply(new CargoVersionYanked(cargo, command.version(), command.by(), version.publisher(), command.reason(),
                command.at()));
        // a deprecated version may be the placed one again now
        placeRestingBids(command.at());
    }

    /**
     * A rollout's decision makes one active version the one new jobs run, until another is published or selected
     * (see {@link CargoVersions}); every ask is priced again with its royalty and resting bids may be placed.
     */
    @CommandHandler
    void handle(SelectCargoVersion command) {
        if (command.reason() == null || command.reason().isBlank() || command.reason().length() > 2_000) {
            throw new IllegalArgumentException("selecting a version states why in 1-2000 characters");
        }
        CargoVersions.Version version = versions.find(command.version()).orElseThrow(() ->
                new IllegalArgumentException("version " + command.version() + " of " + cargo
                        + " was never published"));
        boolean stale = lastPublishedAt != null && command.at().isBefore(lastPublishedAt);
        if (version.status() != VersionStatus.ACTIVE || stale || versions.runsSelected(command.version())) {
            return;
        }
        apply(new CargoVersionSelected(cargo, command.version(), command.rollout(), command.reason(),
                command.at()));
        placeRestingBids(command.at());
    }

    /** The version {@code by} may deprecate or yank: its own publisher's, or any for the platform. */
    private CargoVersions.Version versionFor(String name, AccountId by, String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw new IllegalArgumentException("deprecating or yanking a version states why in 1-500 characters");
        }
        CargoVersions.Version version = versions.find(name).orElseThrow(() -> new IllegalArgumentException(
                "version " + name + " of " + cargo + " was never published"));
        if (!version.publisher().equals(by) && !AccountId.PLATFORM.equals(by)) {
            throw new IllegalArgumentException("only " + version.publisher() + ", its publisher, or the platform "
                    + "may deprecate or yank version " + name + " of " + cargo);
        }
        return version;
    }

    /** A review from an account that completed a job on the version; see {@link Reviews} for the rules. */
    @CommandHandler
    void handle(ReviewCargoVersion command) {
        if (versions.find(command.version()).isEmpty()) {
            throw new IllegalArgumentException("version " + command.version() + " of " + cargo
                    + " was never published");
        }
        int edition = reviews.check(command);
        apply(new CargoVersionReviewed(cargo, command.version(), command.reviewer(), command.stars(),
                command.complaint(), command.text().strip(), edition, command.at()));
    }

    @CommandHandler
    void handle(PlaceAsk command, Islands islands) {
        MoneyCaps.price("an ask's price", command.price());
        if (book.ask(command.islandId()).isPresent()) {
            throw new IllegalStateException("island " + command.islandId() + " already has an ask on " + cargo
                    + ": reprice or withdraw it");
        }
        IslandListing listing = islands.listing(command.islandId(), cargo);
        apply(new AskPlaced(cargo, command.islandId(), listing.owner(), command.price(), listing.conditions(),
                command.at()));
        placeRestingBids(command.at());
    }

    @CommandHandler
    void handle(RepriceAsk command) {
        MoneyCaps.price("an ask's price", command.price());
        Ask ask = askOf(command.islandId());
        if (ask.price.equals(command.price())) {
            return;
        }
        apply(new AskRepriced(cargo, command.islandId(), ask.price, command.price(), command.at()));
        placeRestingBids(command.at());
    }

    @CommandHandler
    void handle(WithdrawAsk command) {
        askOf(command.islandId());
        apply(new AskWithdrawn(cargo, command.islandId(), command.at()));
    }

    /** Called through {@code Markets} when an Island's conditions change; see there. */
    public void updateConditions(IslandId islandId, IslandConditions conditions, Instant at) {
        Optional<Ask> ask = book.ask(islandId);
        if (ask.isEmpty() || ask.get().conditions.equals(conditions)) {
            return;
        }
        apply(new IslandConditionsChanged(cargo, islandId, conditions, at));
        placeRestingBids(at);
    }

    @CommandHandler
    BidOutcome handle(SubmitBid command, Accounts accounts) {
        return submit(command, accounts);
    }

    /**
     * Many bids in one unit of work: one lock, one transaction, one commit for all of them. A malformed bid fails
     * the whole batch, as it would fail alone; the outcomes come back in the order of the bids.
     */
    @CommandHandler
    List<BidOutcome> handle(SubmitBids command, Accounts accounts) {
        command.bids().forEach(SubmitBid::worstCase);
        List<BidOutcome> outcomes = new ArrayList<>(command.bids().size());
        for (SubmitBid bid : command.bids()) {
            outcomes.add(submit(bid, accounts));
        }
        return outcomes;
    }

    private BidOutcome submit(SubmitBid command, Accounts accounts) {
        // a malformed bid (its worst case overflows) throws before anything is recorded
        MicroCredits escrow = command.worstCase();
        if (command.version() != null && versions.find(command.version()).isEmpty()) {
            throw new IllegalArgumentException("version " + command.version() + " of " + cargo
                    + " was never published: a bid pins a published version");
        }
        if (book.knows(command.jobId())) {
            return reject(command, RejectionReason.MARKET_DUPLICATE_JOB,
                    "job " + command.jobId() + " was already submitted");
        }
        Admission admission = admit(command, accounts);
        if (admission.rejection() != null) {
            return reject(command, admission.rejection(), admission.detail());
        }
        JurisdictionPolicy jurisdiction = Objects.requireNonNull(admission.jurisdiction());
        BoundTerms terms = admission.terms();
        Reservation reservation = accounts.reserve(command.consumer(), command.jobId(), escrow, command.at(),
                command.hold());
        if (reservation == Reservation.UNKNOWN_ACCOUNT) {
            return reject(command, RejectionReason.LEDGER_UNKNOWN_ACCOUNT,
                    "account " + command.consumer() + " is not open");
        }
        if (reservation == Reservation.INSUFFICIENT_CREDITS) {
            return reject(command, RejectionReason.LEDGER_INSUFFICIENT_CREDITS, insufficient(escrow));
        }
        // the constraints as bound, so that replay and the auditor see what was applied without reading the account
        apply(new BidSubmitted(cargo, command.jobId(), command.consumer(), command.limit(), command.maxUnits(),
                jurisdiction, terms.minKarma(), terms.maxRttMicros(), terms.verifiedOnly(), escrow,
                command.at().plus(command.ttl()), command.at(), command.avoid(), command.version()));
        Ask ask = tryToPlace(book.resting(command.jobId()).orElseThrow(), command.at());
        return ask == null ? BidOutcome.resting(command.jobId()) : BidOutcome.placed(command.jobId(), ask.islandId);
    }

    /**
     * What admission decided for a bid, as far as it got: the rejection and why (null when admitted), the terms bound
     * by the account's preferences, and the jurisdiction it is matched in (null when the bid's conflicts with the
     * account's, or when no account is open).
     */
    private record Admission(@Nullable RejectionReason rejection, String detail, BoundTerms terms,
                             @Nullable JurisdictionPolicy jurisdiction) {
    }

    /**
     * Admission, the one rule submissions and quotes share, in its order: the limit must pay the royalty, the
     * account must be open, the bid may not relax the account's preferences ({@link BoundTerms}), and its worst case
     * must fit the available credits. The account is read as it stands in this unit of work, not as a read model
     * last saw it: a bid arriving just after the preferences changed is bound by the new ones.
     */
    private Admission admit(SubmitBid bid, Accounts accounts) {
        Optional<BidPreferences> preferred = accounts.preferencesOf(bid.consumer());
        Optional<Country> home = accounts.homeOf(bid.consumer());
        BidPreferences binding = preferred.orElse(BidPreferences.NONE);
        BoundTerms terms = BoundTerms.of(bid, binding);
        JurisdictionPolicy jurisdiction = terms.jurisdiction() != null ? terms.jurisdiction()
                : terms.jurisdictionConflict() ? null
                : home.map(JurisdictionPolicy::regionOf).orElse(null);
        PricePerUnit royalty = royaltyFor(bid.version());
        if (royalty.isAbove(bid.limit())) {
            return new Admission(RejectionReason.MARKET_LIMIT_BELOW_ROYALTY, "the limit "
                    + bid.limit().microCredits() + " does not cover the royalty of " + royalty.microCredits()
                    + " per unit", terms, jurisdiction);
        }
        Optional<MicroCredits> available = accounts.availableOf(bid.consumer())
                .map(free -> bid.hold() == null ? free : free.plus(accounts.heldOf(bid.consumer(), bid.hold())));
        if (preferred.isEmpty() || home.isEmpty() || available.isEmpty()) {
            return new Admission(RejectionReason.LEDGER_UNKNOWN_ACCOUNT, "account " + bid.consumer()
                    + " is not open", terms, jurisdiction);
        }
        BoundTerms.Conflict conflict = terms.conflict();
        if (conflict != null) {
            return new Admission(conflict.reason(), terms.describe(binding), terms, jurisdiction);
        }
        if (!available.get().isAtLeast(bid.worstCase())) {
            return new Admission(RejectionReason.LEDGER_INSUFFICIENT_CREDITS, insufficient(bid.worstCase()), terms,
                    jurisdiction);
        }
        return new Admission(null, "", terms, jurisdiction);
    }

    private static String insufficient(MicroCredits escrow) {
        return "the worst case of " + escrow.value()
                + " micro-credits (limit x maximum units) exceeds the available credits";
    }

    /**
     * What {@code command}'s bid would meet if submitted now: admitted by the same rule as {@link #submit}, recording
     * nothing, with every ask judged against it.
     */
    @CommandHandler
    BidQuote handle(QuoteBid command, Accounts accounts) {
        SubmitBid bid = command.bid();
        MicroCredits worstCase = bid.worstCase();
        Admission admission = admit(bid, accounts);
        BoundTerms terms = admission.terms();
        JurisdictionPolicy jurisdiction = admission.jurisdiction();
        // a conflict leaves no country, so every Island online is counted under jurisdiction; with no jurisdiction
        // at all (no open account) the quote judges every other constraint. The bid's placeholder jurisdiction below
        // is never read: Quotation is handed the countries itself
        Set<Country> countries = terms.jurisdictionConflict() ? Set.of()
                : jurisdiction == null ? null : jurisdiction.countries();
        Bid judged = new Bid(bid.jobId(), bid.consumer(), bid.limit(), bid.maxUnits(),
                jurisdiction == null ? JurisdictionPolicy.eu() : jurisdiction, terms.minKarma(),
                terms.maxRttMicros(), terms.verifiedOnly(), worstCase, bid.at().plus(bid.ttl()), book.nextArrival(),
                bid.avoid());
        Quotation quotation = Quotation.of(book.asks(), judged, countries, bid.at());
        Ask best = quotation.best;
        return new BidQuote(cargo, jurisdiction, book.asks().size(), quotation.eligible,
                best == null ? null : best.islandId, best == null ? null : best.unitPrice, worstCase,
                accounts.availableOf(bid.consumer()).orElse(null), quotation.excluded, admission.rejection());
    }

    private BidOutcome reject(SubmitBid command, RejectionReason reason, String detail) {
        apply(new BidRejected(cargo, command.jobId(), command.consumer(), reason, detail, command.at()));
        return BidOutcome.rejected(command.jobId(), reason);
    }

    @CommandHandler
    void handle(StartJob command) {
        Placement placement = runningJob(command.jobId());
        if (placement.hasStarted()) {
            return;
        }
        apply(new JobStarted(cargo, command.jobId(), placement.islandId(), Math.max(0, command.ttftMicros()),
                command.at()));
    }

    @CommandHandler
    void handle(CompleteJob command, Accounts accounts, Islands islands) {
        if (command.units() < 0) {
            throw new IllegalArgumentException("units used are never negative, got " + command.units());
        }
        Placement placement = runningJob(command.jobId());
        long units = Math.min(command.units(), placement.maxUnits());
        UnitPrice price = placement.price();
        MicroCredits charged = price.charge(units);
        AccountId royaltyTo = publisherOf(placement.jobId());
        apply(new JobCompleted(cargo, placement.jobId(), placement.consumer(), placement.islandId(), placement.host(),
                royaltyTo, units, price, charged, price.hostEarnings(units), price.royalties(units), price.fees(units),
                placement.escrow().minus(charged), command.at()));
        settle(accounts, placement, royaltyTo, units, command.at());
        islands.recordJobOutcome(placement.islandId(), placement.jobId(),
                JobOutcome.success(placement.rttMicros(), Math.max(0, placement.ttftMicros())), command.at());
        placeRestingBids(command.at());
    }

    /**
     * The consumer left: a running job settles the units that reached it at the placed price, as a completion would,
     * and its slot frees; the Island is not at fault, so its karma is not touched. A resting bid is withdrawn and its
     * escrow released. A job that already ended cannot be cancelled.
     */
    @CommandHandler
    void handle(CancelJob command, Accounts accounts) {
        if (command.unitsDelivered() < 0) {
            throw new IllegalArgumentException("units delivered are never negative, got " + command.unitsDelivered());
        }
        if (command.reason() == null || command.reason().isBlank()) {
            throw new IllegalArgumentException("a cancelled job says why it was cancelled");
        }
        Optional<Bid> resting = book.resting(command.jobId());
        if (resting.isPresent()) {
            Bid bid = resting.get();
            apply(new BidCancelled(cargo, bid.jobId(), bid.consumer(), bid.escrow(), command.reason(), command.at()));
            accounts.release(bid.consumer(), bid.jobId(), "bid cancelled: " + command.reason(), command.at());
            return;
        }
        Placement placement = runningJob(command.jobId());
        long units = Math.min(command.unitsDelivered(), placement.maxUnits());
        UnitPrice price = placement.price();
        MicroCredits charged = price.charge(units);
        AccountId royaltyTo = publisherOf(placement.jobId());
        apply(new JobCancelled(cargo, placement.jobId(), placement.consumer(), placement.islandId(), placement.host(),
                royaltyTo, units, price, charged, price.hostEarnings(units), price.royalties(units), price.fees(units),
                placement.escrow().minus(charged), command.reason(), command.at()));
        settle(accounts, placement, royaltyTo, units, command.at());
        placeRestingBids(command.at());
    }

    /**
     * Moves a finished job's money: the consumer is charged {@code units} at the placed price and the rest of its
     * escrow released; the host, the publisher of the version it ran (else the Cargo type's) and the platform are
     * credited their shares.
     */
    private void settle(Accounts accounts, Placement placement, AccountId royaltyTo, long units, Instant at) {
        UnitPrice price = placement.price();
        accounts.settle(placement.consumer(), placement.jobId(), price.charge(units), at);
        credit(accounts, placement.host(), placement.jobId(), EarningsKind.HOST, price.hostEarnings(units), at);
        credit(accounts, royaltyTo, placement.jobId(), EarningsKind.ROYALTY, price.royalties(units), at);
        credit(accounts, AccountId.PLATFORM, placement.jobId(), EarningsKind.PLATFORM_FEE, price.fees(units), at);
    }

    private static void credit(Accounts accounts, AccountId account, JobId jobId, EarningsKind kind,
                               MicroCredits amount, Instant at) {
        if (!amount.isZero()) {
            accounts.credit(account, jobId, kind, amount, at);
        }
    }

    @CommandHandler
    void handle(FailJob command, Accounts accounts, Islands islands) {
        if (command.reason() == null || command.reason().isBlank()) {
            throw new IllegalArgumentException("a failed job says why it failed");
        }
        Placement placement = runningJob(command.jobId());
        apply(new JobFailed(cargo, placement.jobId(), placement.consumer(), placement.islandId(), command.reason(),
                placement.escrow(), command.at()));
        accounts.release(placement.consumer(), placement.jobId(), "job failed: " + command.reason(), command.at());
        islands.recordJobOutcome(placement.islandId(), placement.jobId(), JobOutcome.failure(), command.at());
        placeRestingBids(command.at());
    }

    /**
     * Takes a job that streamed nothing back from its Island and places it again elsewhere, excluding every Island
     * that lost it; the lost one's karma records the failure. An expired bid is not placed again: it expires and
     * its escrow goes back. Returns where the job went.
     */
    @CommandHandler
    BidOutcome handle(ReassignJob command, Accounts accounts, Islands islands) {
        if (command.reason() == null || command.reason().isBlank()) {
            throw new IllegalArgumentException("a reassigned job says why its island lost it");
        }
        Placement placement = runningJob(command.jobId());
        if (placement.hasStarted()) {
            throw new IllegalStateException("job " + command.jobId() + " already streamed output: fail it instead");
        }
        apply(new JobReassigned(cargo, placement.jobId(), placement.consumer(), placement.islandId(),
                command.reason(), command.at()));
        // the karma change reaches this market at once and may already place the job elsewhere
        islands.recordJobOutcome(placement.islandId(), placement.jobId(), JobOutcome.failure(), command.at());
        Optional<Bid> resting = book.resting(command.jobId());
        if (resting.isPresent() && resting.get().isExpiredAt(command.at())) {
            Bid bid = resting.get();
            apply(new BidExpired(cargo, bid.jobId(), bid.consumer(), bid.escrow(), command.at()));
            accounts.release(bid.consumer(), bid.jobId(), "bid expired", command.at());
            return BidOutcome.resting(command.jobId());
        }
        placeRestingBids(command.at());
        return book.running(command.jobId())
                .map(job -> BidOutcome.placed(command.jobId(), job.islandId()))
                .orElseGet(() -> BidOutcome.resting(command.jobId()));
    }

    @CommandHandler
    void handle(ExpireBids command, Accounts accounts) {
        for (Bid bid : book.restingInPriority()) {
            if (bid.isExpiredAt(command.at())) {
                apply(new BidExpired(cargo, bid.jobId(), bid.consumer(), bid.escrow(), command.at()));
                accounts.release(bid.consumer(), bid.jobId(), "bid expired", command.at());
            }
        }
    }

    @CommandHandler
    void handle(ClearMarketRate command) {
        Instant windowStart = command.at().minus(RateWindow.LENGTH);
        List<Bid> resting = book.restingInPriority().stream().filter(bid -> !bid.isExpiredAt(command.at())).toList();
        PricePerUnit bestBid = resting.isEmpty() ? null : resting.get(0).limit();
        List<Ask> open = book.asks().stream().filter(ask -> ask.conditions.online()).toList();
        PricePerUnit bestAsk = open.stream().map(ask -> ask.price).min(Comparator.naturalOrder()).orElse(null);
        RateWindow preview = window.copySlidTo(windowStart);
        apply(new MarketRateCleared(cargo, preview.rate(), preview.volume(), preview.trades(), bestBid, bestAsk,
                resting.size(), open.size(), windowStart, command.at()));
    }

    /** Places resting bids, best first, on whatever capacity the last change opened. */
    private void placeRestingBids(Instant at) {
        for (Bid bid : book.restingInPriority()) {
            if (!bid.isExpiredAt(at)) {
                tryToPlace(bid, at);
            }
        }
    }

    /**
     * Places {@code bid} on the best ask that can take it, running the version {@link CargoVersions} gives it. The
     * book prices asks with the royalty of the version the rule picks; a bid pinned to a version of another royalty
     * is judged at its limit shifted by the difference (the fee is a share of the ask alone, so the consumer's price
     * moves by exactly that much) and placed at its own version's price.
     */
    private @Nullable Ask tryToPlace(Bid bid, Instant at) {
        if (!versions.allowsPlacement()) {
            return null;
        }
        CargoVersions.Version version = versions.forJob(bid.version()).orElse(null);
        long shift = version == null ? 0 : book.royalty().microCredits() - version.royalty().microCredits();
        long judged = bid.limit().microCredits() + shift;
        if (judged <= 0) {
            return null;
        }
        Ask ask = book.bestAsk(shift == 0 ? bid : bid.withLimit(PricePerUnit.of(judged)), at);
        if (ask != null) {
            UnitPrice price = shift == 0 ? ask.unitPrice
                    : Pricing.quote(ask.price, version.royalty(), ask.conditions.karma());
            apply(new JobPlaced(cargo, bid.jobId(), bid.consumer(), ask.islandId, ask.owner, price,
                    ask.conditions.rttMicros(), ask.conditions.karma(), at));
            if (version != null) {
                apply(new JobVersionAssigned(cargo, bid.jobId(), version.name(), version.publisher(),
                        version.image(), version.royalty(), at));
            }
        }
        return ask;
    }

    /** The royalty per unit a bid pinned to {@code pin} (null: none) would pay if placed now. */
    private PricePerUnit royaltyFor(@Nullable String pin) {
        return pin == null ? book.royalty()
                : versions.forJob(pin).map(CargoVersions.Version::royalty).orElse(book.royalty());
    }

    /** Who earns a running job's royalty: the publisher of the version it runs, else the Cargo type's. */
    private AccountId publisherOf(JobId jobId) {
        CargoVersions.Version version = jobVersions.get(jobId);
        return version == null ? publisher : version.publisher();
    }

    private Ask askOf(IslandId islandId) {
        return book.ask(islandId).orElseThrow(() -> new IllegalStateException(
                "island " + islandId + " has no ask on " + cargo));
    }

    private Placement runningJob(JobId jobId) {
        return book.running(jobId).orElseThrow(() -> new IllegalStateException(
                "job " + jobId + " is not running on " + cargo));
    }

    /** Declares the stages this Cargo type runs as; its publisher or the platform may. */
    @CommandHandler
    void handle(DeclarePipeline command) {
        if (!publisher.equals(command.by()) && !AccountId.PLATFORM.equals(command.by())) {
            throw new IllegalArgumentException("only " + publisher + ", the publisher of " + cargo
                    + ", or the platform may declare its pipeline");
        }
        if (command.shape().equals(pipeline)) {
            return;
        }
        apply(new PipelineDeclared(cargo, command.shape(), command.by(), command.at()));
    }

    /**
     * Places a job of this pipeline Cargo on one Island per stage, or none: the Islands whose asks are eligible at
     * the limit ({@link Eligibility}, the same rule as a bid's) are planned by {@link PipelinePlanner}, and the plan
     * stands only if its stages' prices together stay within the limit.
     */
    @CommandHandler
    PipelineOutcome handle(PlacePipeline command, Accounts accounts) {
        MoneyCaps.price("a pipeline's limit", command.limit());
        PipelineShape shape = pipeline;
        if (shape == null) {
            throw new IllegalStateException(cargo + " does not run as a pipeline: declare its stages first");
        }
        if (pipelineJobs.contains(command.jobId()) || book.knows(command.jobId())) {
            throw new IllegalStateException("job " + command.jobId() + " was already submitted to " + cargo);
        }
        JurisdictionPolicy jurisdiction = command.jurisdiction() != null ? command.jurisdiction()
                : accounts.homeOf(command.consumer()).map(JurisdictionPolicy::regionOf).orElse(null);
        if (jurisdiction == null) {
            return unplaceable(command, 0, RejectionReason.LEDGER_UNKNOWN_ACCOUNT + ": account " + command.consumer()
                    + " is not open");
        }
        Map<IslandId, Ask> eligible = new HashMap<>();
        List<StageCandidate> candidates = new ArrayList<>();
        for (Ask ask : book.asks()) {
            Long memory = command.memoryMib().get(ask.islandId);
            // the hard constraints of a bid, by the rule a bid's Island meets
            if (memory != null && Eligibility.exclusion(ask.conditions, ask.usedSlots,
                    ask.unitPrice.total().microCredits(), jurisdiction.countries(), command.limit().microCredits(),
                    command.minKarma() == null ? 0 : command.minKarma().points(),
                    command.maxRttMicros() == null ? Long.MAX_VALUE : command.maxRttMicros(),
                    command.verifiedOnly(), command.at()) == null) {
                eligible.put(ask.islandId, ask);
                candidates.add(new StageCandidate(ask.islandId, memory, ask.conditions.rttMicros()));
            }
        }
        Optional<PipelinePlan> plan = PipelinePlanner.plan(shape, candidates, command.rtts());
        if (plan.isEmpty()) {
            return unplaceable(command, eligible.size(), "no chain of " + shape.stages().size()
                    + " distinct Islands with the memory and measured hops");
        }
        List<PlacedStage> stages = new ArrayList<>();
        long total = 0;
        for (StagePlacement stage : plan.get().stages()) {
            Ask ask = eligible.get(stage.islandId());
            stages.add(new PlacedStage(stage, ask.owner, ask.unitPrice));
            total += ask.unitPrice.total().microCredits();
        }
        if (total > command.limit().microCredits()) {
            return unplaceable(command, eligible.size(), "the shortest chain costs " + total
                    + " per unit together, above the limit of " + command.limit().microCredits());
        }
        // within the caps the limit times the most units is at most 10^18: it cannot overflow
        MicroCredits escrow = command.limit().times(command.maxUnits());
        Reservation reservation = accounts.reserve(command.consumer(), command.jobId(), escrow, command.at());
        if (reservation != Reservation.RESERVED) {
            return unplaceable(command, eligible.size(), reservation == Reservation.UNKNOWN_ACCOUNT
                    ? RejectionReason.LEDGER_UNKNOWN_ACCOUNT + ": account " + command.consumer() + " is not open"
                    : RejectionReason.LEDGER_INSUFFICIENT_CREDITS + ": " + insufficient(escrow));
        }
        apply(new PipelineFunded(cargo, command.jobId(), command.consumer(), command.limit(), command.maxUnits(),
                escrow, command.at()));
        apply(new PipelinePlaced(cargo, command.jobId(), command.consumer(), stages, plan.get().pathRttMicros(),
                PricePerUnit.of(total), command.at()));
        return new PipelineOutcome(command.jobId(), stages, null);
    }

    private PipelineOutcome unplaceable(PlacePipeline command, int eligible, String detail) {
        apply(new PipelineUnplaceable(cargo, command.jobId(), command.consumer(), eligible, detail, command.at()));
        return new PipelineOutcome(command.jobId(), List.of(), detail);
    }

    /**
     * Settles a pipeline job stage by stage, as a job on each stage's Island would settle: every stage charges the
     * units at its own price and pays its host, the publisher and the platform; the consumer's escrow gives up the
     * sum and gets the rest back. Each stage's Island has its karma record the success.
     */
    @CommandHandler
    void handle(CompletePipeline command, Accounts accounts, Islands islands) {
        if (command.units() < 0) {
            throw new IllegalArgumentException("units used are never negative, got " + command.units());
        }
        RunningPipeline job = runningPipeline(command.jobId());
        long units = Math.min(command.units(), job.maxUnits());
        List<StageSettlement> settlements = new ArrayList<>();
        MicroCredits charged = MicroCredits.ZERO;
        for (PlacedStage stage : job.stages()) {
            UnitPrice price = stage.price();
            settlements.add(new StageSettlement(stage.placement().index(), stage.placement().islandId(),
                    stage.host(), price, price.charge(units), price.hostEarnings(units), price.royalties(units),
                    price.fees(units)));
            charged = charged.plus(price.charge(units));
        }
        apply(new PipelineCompleted(cargo, command.jobId(), job.consumer(), publisher, units, settlements, charged,
                job.escrow().minus(charged), command.at()));
        accounts.settle(job.consumer(), command.jobId(), charged, command.at());
        for (StageSettlement stage : settlements) {
            credit(accounts, stage.host(), command.jobId(), EarningsKind.HOST, stage.hostEarnings(), command.at());
            credit(accounts, publisher, command.jobId(), EarningsKind.ROYALTY, stage.royalties(), command.at());
            credit(accounts, AccountId.PLATFORM, command.jobId(), EarningsKind.PLATFORM_FEE, stage.fees(),
                    command.at());
        }
        for (PlacedStage stage : job.stages()) {
            islands.recordJobOutcome(stage.placement().islandId(), command.jobId(),
                    JobOutcome.success(stage.placement().hopRttMicros(), 0), command.at());
        }
    }

    /** Fails a pipeline job: the whole escrow goes back, and the karma of the stage's Island at fault records it. */
    @CommandHandler
    void handle(FailPipeline command, Accounts accounts, Islands islands) {
        if (command.reason() == null || command.reason().isBlank()) {
            throw new IllegalArgumentException("a failed pipeline job says why it failed");
        }
        RunningPipeline job = runningPipeline(command.jobId());
        IslandId fault = command.fault();
        if (fault != null && job.stages().stream().noneMatch(stage -> stage.placement().islandId().equals(fault))) {
            throw new IllegalArgumentException("island " + fault + " runs no stage of job " + command.jobId());
        }
        apply(new PipelineFailed(cargo, command.jobId(), job.consumer(), fault, command.reason(), job.escrow(),
                command.at()));
        accounts.release(job.consumer(), command.jobId(), "pipeline job failed: " + command.reason(), command.at());
        if (fault != null) {
            islands.recordJobOutcome(fault, command.jobId(), JobOutcome.failure(), command.at());
        }
    }

    private RunningPipeline runningPipeline(JobId jobId) {
        RunningPipeline job = runningPipelines.get(jobId);
        if (job == null || job.stages().isEmpty()) {
            throw new IllegalStateException("pipeline job " + jobId + " is not running on " + cargo);
        }
        return job;
    }

    @EventSourcingHandler
    void on(PipelineDeclared event) {
        pipeline = event.shape();
    }

    @EventSourcingHandler
    void on(PipelineFunded event) {
        runningPipelines.put(event.jobId(), new RunningPipeline(event.consumer(), event.maxUnits(), event.escrow(),
                List.of()));
    }

    @EventSourcingHandler
    void on(PipelinePlaced event) {
        pipelineJobs.add(event.jobId());
        runningPipelines.computeIfPresent(event.jobId(), (id, funded) -> funded.placed(event.stages()));
        book.holdStages(event.jobId(), event.stages().stream().map(stage -> stage.placement().islandId()).toList());
    }

    @EventSourcingHandler
    void on(PipelineCompleted event) {
        runningPipelines.remove(event.jobId());
        book.releaseStages(event.jobId());
    }

    @EventSourcingHandler
    void on(PipelineFailed event) {
        runningPipelines.remove(event.jobId());
        book.releaseStages(event.jobId());
    }

    @EventSourcingHandler
    void on(PipelineUnplaceable event) {
        pipelineJobs.add(event.jobId());
    }

    @EventSourcingHandler
    void on(CargoRegistered event) {
        cargo = event.cargo();
        unit = event.unit();
        publisher = event.publisher();
        registeredRoyalty = event.royalty();
        book = new OrderBook(event.royalty());
        window = new RateWindow();
        versions = new CargoVersions();
    }

    @EventSourcingHandler
    void on(CargoVersionPublished event) {
        versions.publish(new CargoVersions.Version(event.version(), event.publisher(), event.image(),
                event.manifest().royalty(), VersionStatus.ACTIVE));
        lastPublishedAt = event.at();
        book.changeRoyalty(versions.royalty(registeredRoyalty));
    }

    @EventSourcingHandler
    void on(CargoVersionSelected event) {
        versions.select(event.version());
        book.changeRoyalty(versions.royalty(registeredRoyalty));
    }

    @EventSourcingHandler
    void on(CargoVersionDeprecated event) {
        versions.mark(event.version(), VersionStatus.DEPRECATED);
        book.changeRoyalty(versions.royalty(registeredRoyalty));
    }

    @EventSourcingHandler
    void on(CargoVersionYanked event) {
        versions.mark(event.version(), VersionStatus.YANKED);
        book.changeRoyalty(versions.royalty(registeredRoyalty));
    }

    @EventSourcingHandler
    void on(JobVersionAssigned event) {
        versions.find(event.version()).ifPresent(version -> jobVersions.put(event.jobId(), version));
    }

    @EventSourcingHandler
    void on(CargoVersionReviewed event) {
        reviews.record(event.version(), event.reviewer(), event.edition(), event.at());
    }

    @EventSourcingHandler
    void on(AskPlaced event) {
        book.addAsk(new Ask(event.islandId(), event.owner(), event.price(), book.royalty(), event.conditions()));
    }

    @EventSourcingHandler
    void on(AskRepriced event) {
        book.reprice(event.islandId(), event.price());
    }

    @EventSourcingHandler
    void on(AskWithdrawn event) {
        book.withdraw(event.islandId());
    }

    @EventSourcingHandler
    void on(IslandConditionsChanged event) {
        book.update(event.islandId(), event.conditions());
    }

    @EventSourcingHandler
    void on(BidSubmitted event) {
        book.arrive(Bid.from(event, book.nextArrival()));
    }

    @EventSourcingHandler
    void on(JobPlaced event) {
        Bid bid = book.resting(event.jobId()).orElseThrow();
        book.place(new Placement(event.jobId(), event.consumer(), event.islandId(), event.host(), event.price(),
                bid.maxUnits(), bid.escrow(), event.rttMicros(), -1, event.at()));
    }

    @EventSourcingHandler
    void on(JobStarted event) {
        book.start(event.jobId(), event.ttftMicros());
    }

    @EventSourcingHandler
    void on(JobCompleted event) {
        book.finish(event.jobId());
        CargoVersions.Version ran = jobVersions.remove(event.jobId());
        if (ran != null) {
            reviews.ran(ran.name(), event.consumer());
        }
        window.record(event.at(), event.price().ask(), event.units());
    }

    @EventSourcingHandler
    void on(JobCancelled event) {
        book.finish(event.jobId());
        jobVersions.remove(event.jobId());
        if (event.units() > 0) {
            window.record(event.at(), event.price().ask(), event.units());
        }
    }

    @EventSourcingHandler
    void on(BidCancelled event) {
        book.expire(event.jobId());
    }

    @EventSourcingHandler
    void on(JobFailed event) {
        book.finish(event.jobId());
        jobVersions.remove(event.jobId());
    }

    @EventSourcingHandler
    void on(JobReassigned event) {
        book.reassign(event.jobId(), event.islandId());
        jobVersions.remove(event.jobId());
    }

    @EventSourcingHandler
    void on(BidExpired event) {
        book.expire(event.jobId());
    }

    @EventSourcingHandler
    void on(MarketRateCleared event) {
        window.slideTo(event.windowStart());
    }

    /** A digest of the whole state, equal for equal states: replaying the same events gives the same digest. */
    public String stateHash() {
        StringBuilder versionState = new StringBuilder(versions.fingerprint());
        jobVersions.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(job -> versionState
                .append("runs ").append(job.getKey()).append(' ').append(job.getValue().name()).append('\n'));
        versionState.append(reviews.fingerprint());
        versionState.append("pipeline ").append(pipeline).append('\n');
        pipelineJobs.stream().sorted().forEach(job -> versionState.append("pipeline job ").append(job).append('\n'));
        if (lastPublishedAt != null) {
            versionState.append("last published ").append(lastPublishedAt).append('\n');
        }
        return MarketDigest.of(cargo, unit, publisher, book, window, versionState.toString());
    }
}
