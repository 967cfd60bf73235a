package io.archipelago.exchange.publisher;

import io.archipelago.exchange.fixtures.ProtocolCargoSignatures;
import io.archipelago.exchange.fixtures.Signer;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.ids.CargoType;
import io.archipelago.exchange.publisher.api.ChangePublisherTier;
import io.archipelago.exchange.publisher.api.KeyId;
import io.archipelago.exchange.publisher.api.PublisherKeyRotated;
import io.archipelago.exchange.publisher.api.PublisherRegistered;
import io.archipelago.exchange.publisher.api.RotatePublisherKey;
import io.archipelago.exchange.publisher.api.PublisherTier;
import io.archipelago.exchange.publisher.api.PublisherTierChanged;
import io.archipelago.exchange.publisher.api.RecordYankForCause;
import io.archipelago.exchange.publisher.api.RegisterPublisher;
import java.time.Instant;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every Publisher command handler through Axon's fixture, keys checked by the protocol's cosign code. */
class PublisherTest {

    private static final AccountId ACME = new AccountId("acme");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final CargoType LLAMA = new CargoType("llm.chat.llama");

    private final AggregateTestFixture<Publisher> fixture = new AggregateTestFixture<>(Publisher.class);
    private final Signer signer = Signer.generate();

    @BeforeEach
    void wirePorts() {
        fixture.registerInjectableResource(new ProtocolCargoSignatures());
    }

    @Test
    void registersAPublisherInTheCommunityTierWithItsKeyInOneSpelling() {
        fixture.givenNoPriorActivity()
                .when(new RegisterPublisher(ACME, " Acme Models ", signer.pem(), T0))
                .expectEvents(new PublisherRegistered(ACME, "Acme Models", signer.spki(), PublisherTier.COMMUNITY,
                        T0));
    }

    @Test
    void rotatesToANewKeyProvenByItsSignatureOverTheChallenge() {
        Signer next = Signer.generate();
        KeyId nextId = KeyId.of(next.spki());
        String proof = next.signBytes(nextId.challenge(ACME.value()));

        fixture.given(registered())
                .when(new RotatePublisherKey(ACME, next.pem(), proof, T0))
                .expectEvents(new PublisherKeyRotated(ACME, nextId, next.spki(), KeyId.of(signer.spki()), true, T0));
        fixture.given(registered())
                .when(new RotatePublisherKey(ACME, next.pem(), null, T0))
                .expectEvents(new PublisherKeyRotated(ACME, nextId, next.spki(), KeyId.of(signer.spki()), false, T0));
    }

    @Test
    void refusesAProofThatIsNotTheNewKeysOverItsChallenge() {
        Signer next = Signer.generate();
        fixture.given(registered())
                .when(new RotatePublisherKey(ACME, next.pem(), signer.signBytes(KeyId.of(next.spki())
                        .challenge(ACME.value())), T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        fixture.given(registered())
                .when(new RotatePublisherKey(ACME, next.pem(), next.signBytes(KeyId.of(next.spki())
                        .challenge("someone-else")), T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void neverTakesBackARetiredKeyOrTheCurrentOne() {
        Signer next = Signer.generate();
        fixture.given(registered(), new PublisherKeyRotated(ACME, KeyId.of(next.spki()), next.spki(),
                        KeyId.of(signer.spki()), false, T0))
                .when(new RotatePublisherKey(ACME, signer.pem(), null, T0.plusSeconds(1)))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        fixture.given(registered())
                .when(new RotatePublisherKey(ACME, signer.pem(), null, T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void registersThePlatformAsOfficial() {
        fixture.givenNoPriorActivity()
                .when(new RegisterPublisher(AccountId.PLATFORM, "Archipelago", signer.pem(), T0))
                .expectEvents(new PublisherRegistered(AccountId.PLATFORM, "Archipelago", signer.spki(),
                        PublisherTier.OFFICIAL, T0));
    }

    @Test
    void refusesAKeyThatIsNotEcdsaP256() {
        fixture.givenNoPriorActivity()
                .when(new RegisterPublisher(ACME, "Acme", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void refusesANamelessPublisher() {
        fixture.givenNoPriorActivity()
                .when(new RegisterPublisher(ACME, "  ", signer.pem(), T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void certifiesACommunityPublisherForAStatedReason() {
        fixture.given(registered())
                .when(new ChangePublisherTier(ACME, PublisherTier.CERTIFIED, "identity and 1,000 executions reviewed",
                        T0))
                .expectEvents(new PublisherTierChanged(ACME, PublisherTier.COMMUNITY, PublisherTier.CERTIFIED,
                        "identity and 1,000 executions reviewed", T0));
    }

    @Test
    void neverMakesAThirdPartyOfficial() {
        fixture.given(registered())
                .when(new ChangePublisherTier(ACME, PublisherTier.OFFICIAL, "asked nicely", T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void refusesAMoveWithoutReasonOrToTheSameTier() {
        fixture.given(registered())
                .when(new ChangePublisherTier(ACME, PublisherTier.CERTIFIED, " ", T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
        fixture.given(registered())
                .when(new ChangePublisherTier(ACME, PublisherTier.COMMUNITY, "again", T0))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void demotesACertifiedPublisherWhenThePlatformYanksItsVersionForCause() {
        fixture.given(registered(), certified())
                .when(new RecordYankForCause(ACME, LLAMA, "1.2.0", "malware found in layer 2", T0))
                .expectEvents(new PublisherTierChanged(ACME, PublisherTier.CERTIFIED, PublisherTier.COMMUNITY,
                        "automatic: the platform yanked llm.chat.llama 1.2.0 for cause: malware found in layer 2",
                        T0));
    }

    @Test
    void aYankForCauseLeavesACommunityPublisherWhereItIs() {
        fixture.given(registered())
                .when(new RecordYankForCause(ACME, LLAMA, "1.2.0", "licence violation", T0))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aYankForCauseNeverMovesThePlatformOutOfOfficial() {
        fixture.given(new PublisherRegistered(AccountId.PLATFORM, "Archipelago", signer.spki(),
                        PublisherTier.OFFICIAL, T0.minusSeconds(60)))
                .when(new RecordYankForCause(AccountId.PLATFORM, LLAMA, "1.0.0", "superseded in haste", T0))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aSecondYankForCauseAfterTheDemotionMovesNothingAndTheOperatorMayCertifyAgain() {
        PublisherTierChanged demoted = new PublisherTierChanged(ACME, PublisherTier.CERTIFIED,
                PublisherTier.COMMUNITY, "automatic: the platform yanked llm.chat.llama 1.2.0 for cause: malware", T0);
        fixture.given(registered(), certified(), demoted)
                .when(new RecordYankForCause(ACME, LLAMA, "1.2.1", "malware again", T0.plusSeconds(5)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(registered(), certified(), demoted)
                .when(new ChangePublisherTier(ACME, PublisherTier.CERTIFIED, "clean rebuild reviewed",
                        T0.plusSeconds(60)))
                .expectEvents(new PublisherTierChanged(ACME, PublisherTier.COMMUNITY, PublisherTier.CERTIFIED,
                        "clean rebuild reviewed", T0.plusSeconds(60)));
    }

    private PublisherTierChanged certified() {
        return new PublisherTierChanged(ACME, PublisherTier.COMMUNITY, PublisherTier.CERTIFIED, "identity checked",
                T0.minusSeconds(30));
    }

    private PublisherRegistered registered() {
        return new PublisherRegistered(ACME, "Acme", signer.spki(), PublisherTier.COMMUNITY, T0.minusSeconds(60));
    }
}
