package io.hireloop.cli.analyze;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV file with a header row, as analysts export it: comma-separated, optional double quotes around
 * cells (no embedded newlines). Columns are read by name; every problem names the file, row and column.
 */
public final class Csv {
  private final Path file;
  private final List<String> header;
  private final List<String[]> rows;

  private Csv(Path file, List<String> header, List<String[]> rows) {
    this.file = file;
    this.header = header;
    this.rows = rows;
  }

  public static Csv read(String path) {
    var file = Path.of(path);
    if (!Files.isRegularFile(file)) throw new AnalyzeError("no such file: " + path);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AnalyzeError("cannot read " + path + ": " + e.getMessage());
    }
    lines = lines.stream().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) throw new AnalyzeError(path + " is empty: expected a header row and data rows");
    var header = Arrays.stream(split(lines.get(0))).map(String::trim).toList();
    var rows = new ArrayList<String[]>();
    for (int i = 1; i < lines.size(); i++) {
      var cells = split(lines.get(i));
      if (cells.length != header.size()) {
        throw new AnalyzeError(path + " row " + (i + 1) + " has " + cells.length + " cells, the header has " + header.size());
      }
      rows.add(cells);
    }
    return new Csv(file, header, rows);
  }

  public int size() {
    return rows.size();
  }

  public List<String> header() {
    return header;
  }

  public boolean has(String column) {
    return header.contains(column);
  }

  /** A numeric column; empty cells and non-numbers are errors. */
  public double[] numbers(String column) {
    int c = index(column);
    var out = new double[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      var cell = rows.get(r)[c].trim();
      try {
        out[r] = Double.parseDouble(cell);
      } catch (NumberFormatException e) {
        throw new AnalyzeError(file + " row " + (r + 2) + " column '" + column + "': '" + cell + "' is not a number");
      }
      if (!Double.isFinite(out[r])) throw new AnalyzeError(file + " row " + (r + 2) + " column '" + column + "' is not finite");
    }
    return out;
  }

  /** A 0/1 column (treatment, group, label). */
  public int[] binary(String column) {
    var values = numbers(column);
    var out = new int[values.length];
    for (int r = 0; r < values.length; r++) {
      if (values[r] != 0 && values[r] != 1) {
        throw new AnalyzeError(file + " row " + (r + 2) + " column '" + column + "' must be 0 or 1, got " + values[r]);
      }
      out[r] = (int) values[r];
    }
    return out;
  }

  public String[] strings(String column) {
    int c = index(column);
    return rows.stream().map(r -> r[c].trim()).toArray(String[]::new);
  }

  private int index(String column) {
    int c = header.indexOf(column);
    if (c < 0) throw new AnalyzeError(file + " has no column '" + column + "'; columns: " + String.join(", ", header));
    return c;
  }

  private static String[] split(String line) {
    var cells = new ArrayList<String>();
    var cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '"') {
        if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (ch == ',' && !quoted) {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    cells.add(cell.toString());
    return cells.toArray(String[]::new);
  }
}
