package io.archipelago.exchange.publisher;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.publisher.api.CargoSignatures;
import io.archipelago.exchange.publisher.api.ChangePublisherTier;
import io.archipelago.exchange.publisher.api.PublisherProfile;
import io.archipelago.exchange.publisher.api.PublisherRegistered;
import io.archipelago.exchange.publisher.api.PublisherTier;
import io.archipelago.exchange.publisher.api.PublisherTierChanged;
import io.archipelago.exchange.publisher.api.RegisterPublisher;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * An account's publisher profile, identified by the account's own id: the key its Cargo versions must be signed
 * with and its tier ({@link TierRules}). A key that is not ECDSA P-256 is refused before anything is recorded.
 */
public class Publisher {

    @AggregateIdentifier
    private AccountId publisher;
    private String signingKey;
    private PublisherTier tier;

    protected Publisher() {
        // for Axon
    }

    @CommandHandler
    public Publisher(RegisterPublisher command, CargoSignatures signatures) {
        String name = command.name() == null ? "" : command.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            throw new IllegalArgumentException("a publisher's name is 1-100 characters");
        }
        if (command.signingKey() == null || command.signingKey().isBlank()) {
            throw new IllegalArgumentException("a publisher registers the public key its Cargos are signed with");
        }
        String key = signatures.signingKey(command.signingKey());
        apply(new PublisherRegistered(command.publisher(), name, key, TierRules.initial(command.publisher()),
                command.at()));
    }

    @CommandHandler
    void handle(ChangePublisherTier command) {
        TierRules.checkMove(publisher, tier, command.tier(), command.reason());
        apply(new PublisherTierChanged(publisher, tier, command.tier(), command.reason(), command.at()));
    }

    PublisherProfile profile() {
        return new PublisherProfile(publisher, signingKey, tier);
    }

    @EventSourcingHandler
    void on(PublisherRegistered event) {
        publisher = event.publisher();
        signingKey = event.signingKey();
        tier = event.tier();
    }

    @EventSourcingHandler
    void on(PublisherTierChanged event) {
        tier = event.to();
    }
}
