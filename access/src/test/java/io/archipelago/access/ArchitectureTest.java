package io.archipelago.access;

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
 * Access control serves every HTTP module and depends on none: of the exchange it knows the ids alone, and the other
 * modules see only its public api.
 */
class ArchitectureTest {

    private static JavaClasses access;

    @BeforeAll
    static void importAccess() {
        access = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago.access");
    }

    @Test
    void dependsOnNothingOfOursButTheIds() {
        noClasses().should().dependOnClassesThat(and(resideInAPackage("io.archipelago.."),
                        not(resideInAnyPackage("io.archipelago.access..", "io.archipelago.exchange.ids.."))))
                .because("every HTTP module depends on access (DESIGN.md, Modules); the write side answers its "
                        + "questions through the Registry port")
                .check(access);
    }

    @Test
    void showsOnlyItsApiToTheOtherModules() {
        classes().that().arePublic().should(be(belongToAnyOf(Principal.class, Registry.class, RouteTable.class,
                        Rule.class, ApiKeys.class, SocketKeys.class, JobClaims.class, AbandonedJobs.class,
                        ProblemReportValve.class)))
                .because("the other modules see who called (Principal), declare their routes (RouteTable, Rule), "
                        + "answer the Registry port, issue keys, claim the job ids they make (and end those of a dead "
                        + "node's request) and name the WebSocket subprotocol; Tomcat loads the ProblemReportValve by "
                        + "its name")
                .check(access);
    }
}
