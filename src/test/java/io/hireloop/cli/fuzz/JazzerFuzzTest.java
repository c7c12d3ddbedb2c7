package io.hireloop.cli.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * The fuzz targets of {@link FuzzTarget} under Jazzer (coverage-guided). In the normal suite these run in
 * regression mode: the inputs under {@code src/test/resources/io/hireloop/cli/fuzz/JazzerFuzzTestInputs/<method>/}
 * (the valid seeds and the findings that were fixed) and an empty input. {@code JAZZER_FUZZ=1 mvn -o test
 * -Dtest='JazzerFuzzTest#ingest'} fuzzes one of them for {@code maxDuration}; a finding is written to that
 * directory and fails the test (RELIABILITY.md "Hostile input").
 */
@Tag("jazzer") // its own JVM: see the surefire execution "jazzer" in pom.xml
class JazzerFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void ingest(byte[] input) {
    FuzzTarget.ingest(input);
  }

  @FuzzTest(maxDuration = "60s")
  void spec(byte[] input) {
    FuzzTarget.spec(input);
  }

  @FuzzTest(maxDuration = "60s")
  void stream(byte[] input) {
    FuzzTarget.stream(input);
  }
}
