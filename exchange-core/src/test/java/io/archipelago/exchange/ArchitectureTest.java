package io.archipelago.exchange;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The domain stays plain, deterministic Java, and a feature's insides are reached only through its api. */
class ArchitectureTest {

    private static JavaClasses domain;

    @BeforeAll
    static void importDomain() {
        domain = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago.exchange");
    }

    @Test
    void importsNoInfrastructure() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "java.sql..", "javax.sql..", "jakarta.persistence..",
                        "org.apache.kafka..", "io.nats..", "com.fasterxml..", "org.hibernate..", "lombok..",
                        "org.axonframework.config..", "org.axonframework.spring..")
                .because("exchange-core is plain Java with Axon's modelling annotations only (DESIGN.md, Modules)")
                .check(domain);
    }

    @Test
    void neverReadsTheClockOrChance() {
        noClasses().should().callMethod(Instant.class, "now")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(UUID.class, "randomUUID")
                .orShould().callMethod(Clock.class, "systemUTC")
                .orShould().callConstructor(Random.class)
                .because("ids and time come in on commands: the same events always rebuild the same state")
                .check(domain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"market", "island", "account", "batch", "workflow", "publisher"})
    void featureInsidesAreReachedOnlyThroughTheirApi(String feature) {
        String inside = "io.archipelago.exchange." + feature;
        classes().that().resideInAPackage(inside)
                .should().onlyHaveDependentClassesThat().resideInAPackage(inside)
                .because("other features talk to " + feature + " through " + inside + ".api and its ports")
                .check(domain);
    }

    @Test
    void pureRulesKnowNoFramework() {
        noClasses().that().resideInAnyPackage("io.archipelago.exchange.karma", "io.archipelago.exchange.pricing",
                        "io.archipelago.exchange.ledger", "io.archipelago.exchange.money")
                .should().dependOnClassesThat().resideInAPackage("org.axonframework..")
                .check(domain);
    }

    @Test
    void apiPackagesFormNoCycles() {
        slices().matching("io.archipelago.exchange.(*).api..").should().beFreeOfCycles()
                .because("each feature's api is a vocabulary others build on, with the ids shared by all in "
                        + "io.archipelago.exchange.ids: an api that needs another's back is one api")
                .check(domain);
    }

    @Test
    void theSharedIdsDependOnNoFeature() {
        noClasses().that().resideInAPackage("io.archipelago.exchange.ids")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.archipelago.exchange.ids",
                        "java..", "org.jspecify..")
                .because("everything may speak of accounts, Islands and jobs; their ids need nothing in return")
                .check(domain);
    }

    @Test
    void featuresFormNoCycles() {
        slices().matching("io.archipelago.exchange.(*)").should().beFreeOfCycles()
                .because("a feature's aggregate reaches others through their ports, never in a circle")
                .check(domain);
    }
}
