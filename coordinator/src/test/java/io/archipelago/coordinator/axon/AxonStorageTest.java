package io.archipelago.coordinator.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.archipelago.coordinator.CoordinatorNode;
import io.archipelago.coordinator.Trading;
import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.ids.AccountId;
import io.archipelago.exchange.island.Island;
import io.archipelago.exchange.ids.IslandId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;

/**
 * Axon's JDBC components work on the tables Flyway created, and nothing else: the event store, tokens, sagas and
 * dead letters each store and read back, and Axon created no table of its own.
 */
class AxonStorageTest {

    private static final List<String> AXON_TABLES = List.of("domain_event_entry", "snapshot_event_entry",
            "token_entry", "saga_entry", "association_value_entry", "dead_letter_entry");

    @TempDir
    static Path dataDir;
    static CoordinatorNode node;

    @BeforeAll
    static void start() {
        node = CoordinatorNode.start(dataDir);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void flywayCreatedAxonsTablesWithBinaryColumnsAndAxonCreatedNone() {
        Set<String> tables = new TreeSet<>(node.jdbc().queryForList(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", String.class));
        assertThat(tables).containsAll(AXON_TABLES).contains("flyway_schema_history");
        assertThat(tables).as("Axon's own default table names")
                .doesNotContain("domainevententry", "snapshotevententry", "tokenentry", "sagaentry",
                        "associationvalueentry", "deadletterentry");
        // Axon's tables only: the exchange's own tables may hold bytes too (job_input)
        List<String> binary = node.jdbc().queryForList("""
                SELECT table_name || '.' || column_name FROM information_schema.columns
                WHERE table_schema = 'public' AND data_type = 'bytea' AND table_name IN ('"""
                + String.join("', '", AXON_TABLES) + "') ORDER BY 1", String.class);
        assertThat(binary).containsExactly("dead_letter_entry.diagnostics", "dead_letter_entry.meta_data",
                "dead_letter_entry.payload", "dead_letter_entry.token", "domain_event_entry.meta_data",
                "domain_event_entry.payload", "saga_entry.serialized_saga", "snapshot_event_entry.meta_data",
                "snapshot_event_entry.payload", "token_entry.token");
    }

    @Test
    void theBeansOtherModulesInjectAreTheOnesConfiguredHere() {
        assertThat(node.bean(TransactionManager.class)).isInstanceOf(SpringTransactionManager.class);
        assertThat(node.bean(CommandGateway.class)).isInstanceOf(DefaultCommandGateway.class);
        assertThat(node.bean(Clock.class).getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(node.context().getBeansOfType(Serializer.class)).hasSize(3);
    }

    @Test
    void anAccountAndAnIslandMayShareAnIdentifier() {
        AccountId alice = new AccountId("alice");
        new Trading(node).openMarket().account(alice, 5_000).island(new IslandId("alice"), alice, 2, 100, 1_000);

        assertThat(node.read(Account.class, "alice", Account::available).value()).isEqualTo(5_000);
        assertThat(node.replay(Island.class, "alice", Island::stateHash)).startsWith("alice|alice|DE|");
        assertThat(node.jdbc().queryForList(
                "SELECT DISTINCT aggregate_identifier FROM domain_event_entry WHERE aggregate_identifier LIKE '%alice'",
                String.class)).containsExactlyInAnyOrder("account:alice", "island:alice");
    }

    @Test
    void trackingTokensAreClaimedStoredAndReadBack() {
        TokenStore tokens = node.bean(TokenStore.class);
        TransactionManager transactions = node.bean(TransactionManager.class);
        transactions.executeInTransaction(() -> tokens.initializeTokenSegments("read-models", 2));
        transactions.executeInTransaction(() -> {
            tokens.fetchToken("read-models", 1);
            tokens.storeToken(new GlobalSequenceTrackingToken(41), "read-models", 1);
        });
        assertThat(transactions.fetchInTransaction(() -> tokens.fetchToken("read-models", 1)))
                .isEqualTo(new GlobalSequenceTrackingToken(41));
        assertThat(transactions.fetchInTransaction(() -> tokens.fetchSegments("read-models"))).containsExactly(0, 1);
    }

    @Test
    void sagasAreFoundByTheirAssociations() {
        @SuppressWarnings("unchecked")
        SagaStore<Object> sagas = node.bean(SagaStore.class);
        AssociationValue job = new AssociationValue("jobId", "job-7");
        node.bean(TransactionManager.class).executeInTransaction(() ->
                sagas.insertSaga(PayoutSaga.class, "saga-1", new PayoutSaga("payout-3", 2), Set.of(job)));

        assertThat(sagas.findSagas(PayoutSaga.class, job)).containsExactly("saga-1");
        SagaStore.Entry<PayoutSaga> entry = sagas.loadSaga(PayoutSaga.class, "saga-1");
        assertThat(entry.saga()).isEqualTo(new PayoutSaga("payout-3", 2));
        assertThat(entry.associationValues()).containsExactly(job);
    }

    @Test
    void deadLettersAreParkedAndReadBack() {
        JdbcSequencedDeadLetterQueue<EventMessage<?>> queue = JdbcSequencedDeadLetterQueue.builder()
                .processingGroup("read-models")
                .connectionProvider(node.bean(ConnectionProvider.class))
                .transactionManager(node.bean(TransactionManager.class))
                .schema(node.bean(DeadLetterSchema.class))
                .genericSerializer(node.bean(Serializer.class))
                .eventSerializer(BeanFactoryAnnotationUtils.qualifiedBeanOfType(node.context().getBeanFactory(),
                        Serializer.class, "eventSerializer"))
                .build();
        EventMessage<?> event = GenericEventMessage.asEventMessage(new PayoutSaga("payout-9", 1));
        queue.enqueue("job-9", new GenericDeadLetter<>("job-9", event, new IllegalStateException("read model down")));

        assertThat(queue.contains("job-9")).isTrue();
        List<DeadLetter<? extends EventMessage<?>>> letters = new ArrayList<>();
        queue.deadLetterSequence("job-9").forEach(letters::add);
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.message().getPayload()).isEqualTo(new PayoutSaga("payout-9", 1));
            assertThat(letter.cause()).hasValueSatisfying(cause -> assertThat(cause.message())
                    .isEqualTo("read model down"));
        });
    }

    /** Stands in for a saga's state, and for an event a handler failed on. */
    record PayoutSaga(String payoutId, int attempts) {
    }
}
