package io.hireloop.learning;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/** The ND4J backend the network member trains on. */
public final class Backend {
  private Backend() {}

  /** "cuda" or "cpu": the ND4J backend picked from the classpath (the cuda Maven profile swaps it). */
  public static String name() {
    String name = Nd4j.getBackend().getClass().getName().toLowerCase(Locale.ROOT);
    return name.contains("cublas") || name.contains("cuda") ? "cuda" : "cpu";
  }
}
