package io.hireloop.platform.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden bytes: src/test/resources/golden/&lt;name&gt;.bin holds what {@link KryoSerializer} wrote for each
 * {@link GoldenSamples} entry when it was released. These files are a COMPATIBILITY CONTRACT with the
 * journal: never regenerate, edit or delete an existing one. If one fails, the change broke reading of
 * stored events; follow the schema-evolution rule in {@link KryoRegistrations} instead.
 *
 * <p>A new sample has no file yet: run once with {@code -Dgolden.write=true}, which writes missing files
 * only (never overwrites), and commit them.
 */
class GoldenBytesTest {
  static final Path DIR = Path.of("src/test/resources/golden");
  static final boolean WRITE = Boolean.getBoolean("golden.write");

  private final KryoSerializer serializer = KryoSerializer.withoutActorSystem();

  @TestFactory
  Stream<DynamicTest> goldenFiles() {
    return GoldenSamples.ALL.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> check(s)));
  }

  /** A card stored as JSON text in the journal still reads as a card, with every section. */
  @org.junit.jupiter.api.Test
  void storedCardJsonDecodes() {
    var card = io.hireloop.learning.ModelCard.fromJson(GoldenSamples.CARD_JSON);
    assertEquals(4, card.version());
    assertEquals(0.78, card.holdout().auc());
    assertEquals(1000, card.dataWindow().holdoutRows());
    assertEquals(0.01, card.members().get(0).hyperParameters().get("l2"));
    assertEquals(0.61, card.members().get(0).history().get(0).validationLoss());
    assertEquals(0.31, card.interval().heterogeneity());
    assertEquals(card, io.hireloop.learning.ModelCard.fromJson(card.toJson()));
  }

  private void check(GoldenSamples.Sample sample) throws IOException {
    Path file = DIR.resolve(sample.name() + ".bin");
    byte[] encoded = serializer.toBinary(sample.instance());
    if (!Files.exists(file)) {
      if (WRITE) {
        Files.createDirectories(DIR);
        Files.write(file, encoded, java.nio.file.StandardOpenOption.CREATE_NEW); // never overwrites
      } else {
        fail("Missing golden file " + file + " for sample '" + sample.name() + "'. Create it with: "
            + "mvn test -Dskip.cassandra.classpath=true -Dtest=GoldenBytesTest -Dgolden.write=true "
            + "and commit it (missing files only; existing ones are never overwritten).");
      }
    }
    byte[] golden = Files.readAllBytes(file);
    assertEquals(sample.instance(), serializer.fromBinaryJava(golden, null),
        "stored bytes of " + file + " no longer decode to the sample: reading old events is broken");
    assertArrayEquals(golden, encoded, () -> "encoding of '" + sample.name() + "' changed.\n golden: "
        + HexFormat.of().formatHex(golden) + "\n now:    " + HexFormat.of().formatHex(encoded));
  }
}
