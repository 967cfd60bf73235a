package io.archipelago.protocol;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The protocol is what an Island in any language implements: it depends on nothing of the coordinator's. */
class ArchitectureTest {

    private static JavaClasses protocol;

    @BeforeAll
    static void importProtocol() {
        protocol = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.archipelago.protocol");
    }

    @Test
    void dependsOnNothingOfOurs() {
        noClasses().should().dependOnClassesThat(resideInAPackage("io.archipelago..")
                        .and(resideOutsideOfPackage("io.archipelago.protocol..")))
                .because("the protocol document and these records are the whole contract between both sides")
                .check(protocol);
    }

    @Test
    void knowsNoFramework() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.springframework..",
                        "org.axonframework..", "java.sql..", "javax.sql..", "org.apache.kafka..")
                .because("an agent on a phone links this module and nothing of the coordinator's stack")
                .check(protocol);
    }
}
