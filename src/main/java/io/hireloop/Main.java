package io.hireloop;

import io.hireloop.cli.Cli;

/** Entry point of bin/hireloop: see {@link Cli} for the commands. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.run(args));
  }
}
