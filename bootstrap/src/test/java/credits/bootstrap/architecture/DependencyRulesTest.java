package credits.bootstrap.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The hexagon's dependency direction, checked on the compiled main classes of every module.
 * Module dependencies are the first fence; these rules are the second. Every rule refuses to pass
 * on an empty selection, so a renamed package cannot make a rule silently check nothing.
 */
class DependencyRulesTest {

    static final ArchRule DOMAIN_USES_ONLY_ITSELF_AND_THE_JDK = classes()
            .that().resideInAPackage("credits.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("credits.domain..", "java..")
            .allowEmptyShould(false)
            .because("the domain is pure Java");

    static final ArchRule APPLICATION_USES_ONLY_THE_DOMAIN_AND_THE_JDK = classes()
            .that().resideInAPackage("credits.application..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("credits.application..", "credits.domain..", "java..")
            .allowEmptyShould(false)
            .because("use cases know nothing of HTTP, SQL or frameworks");

    static final ArchRule CORE_IS_FREE_OF_FRAMEWORKS = noClasses()
            .that().resideInAnyPackage("credits.domain..", "credits.application..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.helidon..", "java.sql..", "javax.sql..", "com.fasterxml.jackson..", "com.nimbusds..",
                    "com.zaxxer..", "org.flywaydb..", "org.postgresql..")
            .allowEmptyShould(false);

    static final ArchRule HTTP_ADAPTER_DOES_NOT_USE_PERSISTENCE_ADAPTER = noClasses()
            .that().resideInAPackage("credits.adapters.http..")
            .should().dependOnClassesThat().resideInAPackage("credits.adapters.persistence..")
            .allowEmptyShould(false);

    static final ArchRule PERSISTENCE_ADAPTER_DOES_NOT_USE_HTTP_ADAPTER = noClasses()
            .that().resideInAPackage("credits.adapters.persistence..")
            .should().dependOnClassesThat().resideInAPackage("credits.adapters.http..")
            .allowEmptyShould(false);

    static final ArchRule POSTGRES_AND_MEMORY_ADAPTERS_ARE_INDEPENDENT = noClasses()
            .that().resideInAPackage("credits.adapters.persistence.memory..")
            .should().dependOnClassesThat().resideInAPackage("credits.adapters.persistence.postgres..")
            .allowEmptyShould(false);

    static final ArchRule ONLY_BOOTSTRAP_SEES_ADAPTERS = noClasses()
            .that().resideInAnyPackage("credits.domain..", "credits.application..")
            .should().dependOnClassesThat().resideInAPackage("credits.adapters..")
            .allowEmptyShould(false);

    static final ArchRule NOTHING_DEPENDS_ON_BOOTSTRAP = noClasses()
            .that().resideOutsideOfPackage("credits.bootstrap..")
            .should().dependOnClassesThat().resideInAPackage("credits.bootstrap..")
            .allowEmptyShould(false);

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("credits");
    }

    @Test
    void domainUsesOnlyItselfAndTheJdk() {
        DOMAIN_USES_ONLY_ITSELF_AND_THE_JDK.check(production);
    }

    @Test
    void applicationUsesOnlyTheDomainAndTheJdk() {
        APPLICATION_USES_ONLY_THE_DOMAIN_AND_THE_JDK.check(production);
    }

    @Test
    void domainAndApplicationUseNoHelidonJdbcJacksonOrJwtTypes() {
        CORE_IS_FREE_OF_FRAMEWORKS.check(production);
    }

    @Test
    void httpAdapterDoesNotUseThePersistenceAdapter() {
        HTTP_ADAPTER_DOES_NOT_USE_PERSISTENCE_ADAPTER.check(production);
    }

    @Test
    void persistenceAdapterDoesNotUseTheHttpAdapter() {
        PERSISTENCE_ADAPTER_DOES_NOT_USE_HTTP_ADAPTER.check(production);
    }

    @Test
    void inMemoryAdapterDoesNotLeanOnThePostgresAdapter() {
        POSTGRES_AND_MEMORY_ADAPTERS_ARE_INDEPENDENT.check(production);
    }

    @Test
    void onlyBootstrapSeesAdapters() {
        ONLY_BOOTSTRAP_SEES_ADAPTERS.check(production);
    }

    @Test
    void nothingDependsOnBootstrap() {
        NOTHING_DEPENDS_ON_BOOTSTRAP.check(production);
    }

    @Test
    void aDomainClassThatImportsHelidonBreaksTheRules() {
        JavaClasses withViolation = new ClassFileImporter().importClasses(credits.domain.HelidonInTheDomain.class);
        assertThrows(AssertionError.class, () -> DOMAIN_USES_ONLY_ITSELF_AND_THE_JDK.check(withViolation));
        assertThrows(AssertionError.class, () -> CORE_IS_FREE_OF_FRAMEWORKS.check(withViolation));
    }

    @Test
    void aRuleAboutAPackageWithNoClassesFailsInsteadOfPassing() {
        JavaClasses nothingOfOurs = new ClassFileImporter().importClasses(String.class);
        assertThrows(AssertionError.class, () -> DOMAIN_USES_ONLY_ITSELF_AND_THE_JDK.check(nothingOfOurs));
        assertThrows(AssertionError.class, () -> ONLY_BOOTSTRAP_SEES_ADAPTERS.check(nothingOfOurs));
        assertThrows(AssertionError.class, () -> HTTP_ADAPTER_DOES_NOT_USE_PERSISTENCE_ADAPTER.check(nothingOfOurs));
    }
}
