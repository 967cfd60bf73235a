package io.archipelago.coordinator;

import static com.tngtech.archunit.base.DescribedPredicate.and;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.archipelago.access.AbandonedJobs;
import io.archipelago.access.ApiKeys;
import io.archipelago.access.JobClaims;
import io.archipelago.access.Principal;
import io.archipelago.access.Registry;
import io.archipelago.access.RouteTable;
import io.archipelago.access.Rule;
import io.archipelago.access.SocketKeys;
import io.archipelago.exchange.account.Account;
import io.archipelago.exchange.island.Island;
import io.archipelago.exchange.market.Market;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.modelling.command.Repository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The coordinator assembles the modules: its packages wire, configure and run them. Aggregates and Axon's storage
 * are reached from its {@code axon} package alone; everything else sends commands and reads projections.
 */
class ArchitectureTest {

    private static final String AXON = "io.archipelago.coordinator.axon..";

    private static JavaClasses coordinator;

    @BeforeAll
    static void importCoordinator() {
        coordinator = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago.coordinator");
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching("io.archipelago.coordinator.(*)..").should().beFreeOfCycles()
                .because("each package wires one side of the exchange; none needs another back")
                .check(coordinator);
    }

    @Test
    void aggregatesAreLoadedOnlyWhereTheyAreWired() {
        noClasses().that().resideOutsideOfPackage(AXON)
                .should().dependOnClassesThat(or(assignableTo(Market.class), assignableTo(Island.class),
                        assignableTo(Account.class), assignableTo(Repository.class)))
                .because("the door, the bridge and the tools send commands and read projections; only the Axon "
                        + "wiring knows the aggregates and their repositories")
                .check(coordinator);
    }

    @Test
    void axonStorageIsConfiguredOnlyByTheAxonPackage() {
        noClasses().that().resideOutsideOfPackage(AXON)
                .should().dependOnClassesThat(or(resideInAPackage("org.axonframework.eventsourcing.eventstore.jdbc.."),
                        assignableTo(EventSourcingRepository.class)))
                .because("the event store adapter is one package: its tables and repositories are its own")
                .check(coordinator);
    }

    @Test
    void theDoorKnowsNoDatabaseOrTools() {
        noClasses().that().resideInAPackage("io.archipelago.coordinator.openai..")
                .should().dependOnClassesThat().resideInAnyPackage("io.archipelago.coordinator.database..",
                        "io.archipelago.coordinator.readside..", "io.archipelago.coordinator.axon..")
                .because("the consumer's door speaks the exchange's api, not the coordinator's storage or its tools")
                .check(coordinator);
    }

    @Test
    void theModulesUseOnlyTheApiOfAccess() {
        JavaClasses modules = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago");
        noClasses().that().resideOutsideOfPackage("io.archipelago.access..")
                .should().dependOnClassesThat(and(resideInAPackage("io.archipelago.access.."),
                        not(belongToAnyOf(Principal.class, Registry.class, RouteTable.class, Rule.class,
                                ApiKeys.class, SocketKeys.class, JobClaims.class, AbandonedJobs.class))))
                .because("access is wired by its own configuration; a module sees who called, declares its routes, "
                        + "answers the Registry port, issues keys, claims the job ids it makes (ending a dead node's) "
                        + "and names the WebSocket subprotocol")
                .check(modules);
    }
}
