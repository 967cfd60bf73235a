package io.archipelago.demo;

import static com.tngtech.archunit.base.DescribedPredicate.and;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.conditions.ArchConditions.be;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo runs Island agents and opens its markets through the exchange's commands: it depends on the agent, the
 * protocol, the exchange's api packages and access's keys, never on the coordinator's other modules, and nothing of
 * ours but the coordinator's assembly depends on it.
 */
class ArchitectureTest {

    private static JavaClasses demo;

    @BeforeAll
    static void importDemo() {
        demo = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago.demo");
    }

    @Test
    void dependsOnTheAgentAndTheExchangesCommandsAlone() {
        noClasses().should().dependOnClassesThat(and(resideInAPackage("io.archipelago.."),
                        not(resideInAnyPackage("io.archipelago.demo..", "io.archipelago.agent..",
                                "io.archipelago.protocol..", "io.archipelago.exchange.ids..",
                                "io.archipelago.exchange.money..", "io.archipelago.exchange.*.api..",
                                "io.archipelago.access.."))))
                .because("the demo is Islands and the commands that open their markets (DESIGN.md, Modules); the "
                        + "aggregates, the read side and the bridge are the coordinator's")
                .check(demo);
    }

    @Test
    void showsTheDemoAndTheDelayProxyAlone() {
        classes().that().arePublic().should(be(belongToAnyOf(DemoIslands.class, DelayingProxy.class)))
                .because("the coordinator starts the demo; its tests put the delay proxy in front of a nats-server")
                .check(demo);
    }
}
