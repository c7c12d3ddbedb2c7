package io.hireloop.cli.analyze;

/** Bad input to {@code bin/hireloop analyze}: printed on stderr, exit code 2, no stack trace. */
public final class AnalyzeError extends RuntimeException {
  public AnalyzeError(String message) {
    super(message);
  }
}
