package io.archipelago.exchange.publisher;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.publisher.api.CargoSignatures;
import io.archipelago.exchange.publisher.api.ChangePublisherTier;
import io.archipelago.exchange.publisher.api.KeyId;
import io.archipelago.exchange.publisher.api.PublisherKeyRotated;
import io.archipelago.exchange.publisher.api.PublisherProfile;
import io.archipelago.exchange.publisher.api.PublisherRegistered;
import io.archipelago.exchange.publisher.api.PublisherTier;
import io.archipelago.exchange.publisher.api.PublisherTierChanged;
import io.archipelago.exchange.publisher.api.RecordYankForCause;
import io.archipelago.exchange.publisher.api.RegisterPublisher;
import io.archipelago.exchange.publisher.api.RotatePublisherKey;
import java.util.HashSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * An account's publisher profile, identified by the account's own id: the key its Cargo versions must be signed
 * with now (earlier keys retired by rotations sign nothing new) and its tier ({@link TierRules}). A key that is not
 * ECDSA P-256 is refused before anything is recorded.
 */
public class Publisher {

    @AggregateIdentifier
    private AccountId publisher;
    private String signingKey;
    private KeyId keyId;
    private final Set<KeyId> retired = new HashSet<>();
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

    /** A yank for cause of one of its versions: the move the tier rules make for it, if any, with its reason. */
    @CommandHandler
    void handle(RecordYankForCause command) {
        TierRules.afterYankForCause(tier, command.cargo(), command.version(), command.reason())
                .ifPresent(move -> apply(new PublisherTierChanged(publisher, tier, move.to(), move.reason(),
                        command.at())));
    }

    /**
     * A new signing key replaces the current one, which is retired for good: the new one may not be the current or a
     * retired key, and a proof of possession, when given, must verify. Returns the new key's id.
     */
    @CommandHandler
    KeyId handle(RotatePublisherKey command, CargoSignatures signatures) {
        if (command.signingKey() == null || command.signingKey().isBlank()) {
            throw new IllegalArgumentException("a key rotation names the new public key");
        }
        String key = signatures.signingKey(command.signingKey());
        KeyId next = KeyId.of(key);
        if (next.equals(keyId)) {
            throw new IllegalArgumentException("key " + next + " is already " + publisher + "'s signing key");
        }
        if (retired.contains(next)) {
            throw new IllegalArgumentException("key " + next + " was retired: a retired key signs nothing again");
        }
        boolean proven = command.proof() != null && !command.proof().isBlank();
        if (proven) {
            signatures.verifyPossession(key, next.challenge(publisher.value()), command.proof());
        }
        apply(new PublisherKeyRotated(publisher, next, key, keyId, proven, command.at()));
        return next;
    }

    PublisherProfile profile() {
        return new PublisherProfile(publisher, signingKey, keyId, tier);
    }

    @EventSourcingHandler
    void on(PublisherRegistered event) {
        publisher = event.publisher();
        signingKey = event.signingKey();
        keyId = KeyId.of(event.signingKey());
        tier = event.tier();
    }

    @EventSourcingHandler
    void on(PublisherKeyRotated event) {
        retired.add(event.retiredKeyId());
        signingKey = event.signingKey();
        keyId = event.keyId();
    }

    @EventSourcingHandler
    void on(PublisherTierChanged event) {
        tier = event.to();
    }
}
