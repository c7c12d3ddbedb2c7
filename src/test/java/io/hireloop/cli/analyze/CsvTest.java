package io.hireloop.cli.analyze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyst CSV reader: strict numbers, unique names, UTF-8 with or without BOM, one line and exit 2 on failure. */
class CsvTest {
  @TempDir Path dir;

  record Outcome(int code, String out, String err) {}

  static Outcome run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = Analyze.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Path write(String name, byte[] content) throws IOException {
    var p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  Path write(String name, String content) throws IOException {
    return write(name, content.getBytes(StandardCharsets.UTF_8));
  }

  static void assertOneLineExitTwo(Outcome o, String... fragments) {
    assertEquals(2, o.code(), o.err());
    assertEquals("", o.out());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    assertFalse(o.err().contains("Exception") || o.err().contains("\tat "), o.err());
    for (var f : fragments) assertTrue(o.err().contains(f), "'" + o.err() + "' lacks '" + f + "'");
  }

  @Test
  void javaOnlyNumberSyntaxIsRejectedNamingLineAndColumn() throws IOException {
    for (var bad : List.of("0x1p3", "2d", "1f", "NaN", "Infinity", "-Infinity", "1e", "1.2.3", "+", "1,5", "0x10", "1e400")) {
      var cell = bad.contains(",") ? "\"" + bad + "\"" : bad;
      var f = write("bad.csv", "g,m\n0,1\n1,2\n0," + cell + "\n1,4\n");
      var o = run("test", "--csv", f.toString(), "--group", "g", "--metric", "m");
      assertOneLineExitTwo(o, "line 4", "column 'm'", "'" + bad + "'");
    }
    var empty = run("test", "--csv", write("e.csv", "g,m\n0,1\n1,\n0,3\n1,4\n").toString(), "--group", "g", "--metric", "m");
    assertOneLineExitTwo(empty, "line 3", "column 'm'", "empty cell");
  }

  @Test
  void plainDecimalFormsAreAccepted() {
    for (var good : List.of("1", "-1", "+1", "1.", ".5", "-.5", "1.5e3", "1.5E-3", "007", "0")) {
      assertTrue(Csv.isDecimal(good), good);
      assertEquals(Double.parseDouble(good), Csv.parse(good), good);
    }
    for (var bad : List.of("", ".", "-", "e3", "1e+", " 1", "1_000", "١")) assertFalse(Csv.isDecimal(bad), bad);
  }

  @Test
  void duplicateColumnNamesAreAnError() throws IOException {
    var f = write("dup.csv", "g,m,m\n0,1,2\n1,2,3\n");
    assertOneLineExitTwo(run("test", "--csv", f.toString(), "--group", "g", "--metric", "m"),
        "'m' appears more than once", "columns 2 and 3");
  }

  @Test
  void aUtf8ByteOrderMarkIsSkipped() throws IOException {
    var body = "g,m\n0,1\n0,2\n0,3\n1,4\n1,5\n1,7\n".getBytes(StandardCharsets.UTF_8);
    var withBom = new byte[body.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, withBom, 3, body.length);
    var a = run("test", "--csv", write("bom.csv", withBom).toString(), "--group", "g", "--metric", "m");
    var b = run("test", "--csv", write("plain.csv", body).toString(), "--group", "g", "--metric", "m");
    assertEquals(0, a.code(), a.err());
    assertEquals(b.out(), a.out());
    var csv = Csv.read(write("bom2.csv", withBom).toString());
    assertEquals(List.of("g", "m"), csv.header());
  }

  @Test
  void nonUtf8InputSaysSo() throws IOException {
    // "café" in Latin-1: the é is the single byte 0xE9, not valid UTF-8
    var latin1 = "g,m,city\n0,1,a\n1,2,caf\u00e9\n0,3,b\n1,4,c\n".getBytes(StandardCharsets.ISO_8859_1);
    var o = run("test", "--csv", write("latin1.csv", latin1).toString(), "--group", "g", "--metric", "m");
    assertOneLineExitTwo(o, "is not UTF-8 text", "line 3");
    assertFalse(o.err().contains("Input length"), o.err());
  }

  @Test
  void otherFailuresAreOneLineToo() throws IOException {
    assertOneLineExitTwo(run("test", "--csv", dir.resolve("nope.csv").toString(), "--group", "g", "--metric", "m"), "no such file");
    assertOneLineExitTwo(run("test", "--csv", write("empty.csv", "").toString(), "--group", "g", "--metric", "m"), "is empty");
    assertOneLineExitTwo(run("test", "--csv", write("ragged.csv", "g,m\n0,1\n1,2,3\n").toString(), "--group", "g", "--metric", "m"),
        "line 3 has 3 cells, the header has 2");
    assertOneLineExitTwo(run("test", "--csv", write("ok.csv", "g,m\n0,1\n1,2\n").toString(), "--group", "g", "--metric", "x"),
        "no column 'x'");
    assertOneLineExitTwo(run("power", "--baseline", "0x1p-3", "--mde", "0.01"), "--baseline must be a number");
  }

  @Test
  void onlyTheNeededColumnsAreKept() throws IOException {
    var f = write("wide.csv", "id,g,note,m\nu1,0,\"a, b\",1.5\nu2,1,x,2.5\nu3,0,y,3.5\n");
    var csv = Csv.read(f.toString()).load(List.of("m"), List.of("id"));
    assertEquals(3, csv.size());
    assertArrayEquals(new double[] {1.5, 2.5, 3.5}, csv.numbers("m"));
    assertArrayEquals(new String[] {"u1", "u2", "u3"}, csv.strings("id"));
    assertTrue(csv.load(List.of("id"), List.of()).textual("id"));
    assertArrayEquals(new int[] {0, 1, 0}, csv.binary("g")); // not loaded before: streamed on demand
  }

  /**
   * A 60 MB file whose bulk is a text column the analysis does not use, analysed in a child JVM with a 64 MiB heap:
   * loading every line as strings (as the reader used to) needs ~14× the file; streaming the two needed columns
   * into doubles needs ~2 × 8 bytes × rows.
   */
  @Test
  void aFileMuchLargerThanTheHeapIsAnalysedByStreaming() throws Exception {
    var f = dir.resolve("big.csv");
    var rnd = new Random(1);
    var filler = "x".repeat(140);
    int rows = 400_000;
    try (BufferedWriter w = Files.newBufferedWriter(f)) {
      w.write("g,note,m\n");
      for (int i = 0; i < rows; i++) {
        w.write(i % 2 + "," + filler + "," + (100 + (i % 2) + rnd.nextGaussian()) + "\n");
      }
    }
    assertTrue(Files.size(f) > 55L << 20, "file size " + Files.size(f));
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"), "io.hireloop.Main",
        "analyze", "test", "--csv", f.toString(), "--group", "g", "--metric", "m")
        .redirectErrorStream(true).start();
    var output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("\"statistic\""), output);
  }
}
