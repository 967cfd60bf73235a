package io.archipelago.coordinator.readside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.coordinator.Trading;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.projections.account.AccountBalances;
import io.archipelago.projections.deadletter.DeadLetterView;
import io.archipelago.projections.deadletter.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read model handler that fails parks the event, and every later event of its account, in the projections'
 * dead-letter queue, visible and counted, while other accounts go on; once the handler works again, a retry
 * projects them in order. A handler whose SQL fails (which aborts the transaction) is parked the same way, and the
 * read models of every other account go on.
 */
class DeadLetterTest {

    private static final AccountId POISONED = new AccountId("poisoned");
    private static final AccountId HEALTHY = new AccountId("healthy");

    @TempDir
    static Path dataDir;

    @Test
    void aFailingHandlerParksItsEventsUntilARetrySucceeds() {
        Map<String, Object> settings = new HashMap<>(ReadSideNodes.withoutBridge(ReadSideNodes.freePort()));
        settings.put("archipelago.test.poisoned-account", POISONED.value());
        PoisonedProjection.HEALED.set(false);
        try (CoordinatorNode node = CoordinatorNode.start(dataDir, settings)) {
            DeadLetters deadLetters = node.bean(DeadLetters.class);
            AccountBalances balances = node.bean(AccountBalances.class);
            new Trading(node).account(POISONED, 5_000).account(HEALTHY, 7_000);

            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.counts().get("projections") == 2);
            // the opening and the deposit may land in two batches: wait for the deposit, not just the row
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(balances.find(HEALTHY.value()))
                    .hasValueSatisfying(balance -> assertThat(balance.availableMicroCredits()).isEqualTo(7_000)));
            List<DeadLetterView> parked = deadLetters.list(10);
            assertThat(parked).extracting(DeadLetterView::sequence).containsExactly(0L, 1L);
            assertThat(parked).allSatisfy(letter -> assertThat(letter.aggregateId()).isEqualTo("account:poisoned"));
            assertThat(parked.get(0).payloadType()).endsWith("AccountOpened");
            assertThat(parked.get(0).causeMessage()).isEqualTo("cannot project the opening of poisoned");
            assertThat(parked.get(1).payloadType()).endsWith("CreditsDeposited");
            assertThat(node.bean(MeterRegistry.class).get("archipelago.dead_letters").tag("processor", "projections")
                    .gauge().value()).isEqualTo(2.0);

            assertThat(deadLetters.retry("projections")).as("still failing").isZero();
            assertThat(deadLetters.counts().get("projections")).isEqualTo(2);

            PoisonedProjection.HEALED.set(true);
            assertThat(deadLetters.retry("projections")).isEqualTo(1);

            assertThat(deadLetters.counts().get("projections")).isZero();
            assertThat(balances.find(POISONED.value()).orElseThrow().availableMicroCredits()).isEqualTo(5_000);
        }
    }

    @Test
    void aHandlerWhoseSqlFailsIsParkedAndTheOtherAccountsGoOn(@TempDir Path ownDataDir) {
        Map<String, Object> settings = new HashMap<>(ReadSideNodes.withoutBridge(ReadSideNodes.freePort()));
        settings.put("archipelago.test.sql-poisoned-account", POISONED.value());
        try (CoordinatorNode node = CoordinatorNode.start(ownDataDir, settings)) {
            DeadLetters deadLetters = node.bean(DeadLetters.class);
            AccountBalances balances = node.bean(AccountBalances.class);
            Trading trading = new Trading(node).account(POISONED, 5_000);
            List<AccountId> healthy = IntStream.range(0, 8).mapToObj(n -> new AccountId("healthy-" + n)).toList();
            healthy.forEach(account -> trading.account(account, 1_000));

            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.counts().get("projections") == 2);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(healthy).allSatisfy(account ->
                    assertThat(balances.find(account.value())).hasValueSatisfying(balance ->
                            assertThat(balance.availableMicroCredits()).isEqualTo(1_000))));
            List<DeadLetterView> parked = deadLetters.list(10);
            assertThat(parked).extracting(DeadLetterView::aggregateId).containsOnly("account:poisoned");
            assertThat(parked.get(0).causeMessage()).contains("division by zero");
            assertThat(node.bean(MeterRegistry.class).get("archipelago.dead_letters").tag("processor", "projections")
                    .gauge().value()).isEqualTo(2.0);
        }
    }
}
