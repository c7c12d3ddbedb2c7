package io.hireloop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency lines of ARCHITECTURE.md, held by the build. */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.hireloop");
  }

  @Test
  void statsIsPureJava() {
    classes().that().resideInAPackage("io.hireloop.stats..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.hireloop.stats..", "java..", "org.hipparchus..")
        .check(classes);
  }

  @Test
  void featuresNeverDependOnTheApiOrTheCli() {
    noClasses().that().resideInAnyPackage("io.hireloop.journey..", "io.hireloop.experiment..", "io.hireloop.analytics..",
            "io.hireloop.learning..", "io.hireloop.config..", "io.hireloop.stream..", "io.hireloop.platform..", "io.hireloop.stats..",
            "io.hireloop.ranking..", "io.hireloop.coldstart..")
        .should().dependOnClassesThat().resideInAnyPackage("io.hireloop.api..", "io.hireloop.cli..")
        .check(classes);
  }

  @Test
  void platformDependsOnNoFeatureButForTheSerializationTable() {
    noClasses().that().resideInAPackage("io.hireloop.platform..")
        .and().doNotHaveFullyQualifiedName("io.hireloop.platform.serialization.KryoRegistrations")
        .should().dependOnClassesThat().resideInAnyPackage("io.hireloop.journey..", "io.hireloop.experiment..",
            "io.hireloop.analytics..", "io.hireloop.learning..", "io.hireloop.config..", "io.hireloop.stream..")
        .check(classes);
  }

  @Test
  void streamKnowsNoFeature() {
    noClasses().that().resideInAPackage("io.hireloop.stream..")
        .should().dependOnClassesThat().resideInAnyPackage("io.hireloop.journey..", "io.hireloop.experiment..",
            "io.hireloop.analytics..", "io.hireloop.learning..", "io.hireloop.config..")
        .check(classes);
  }
}
