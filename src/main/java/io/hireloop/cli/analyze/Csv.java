package io.hireloop.cli.analyze;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A CSV file with a header row, as analysts export it: UTF-8 (a leading byte-order mark, as Excel's "CSV UTF-8"
 * writes, is skipped), comma-separated, optional double quotes around cells (no embedded newlines), blank lines
 * ignored. Column names must be unique.
 *
 * <p>{@link #read} opens the file and reads the header only; {@link #load} then streams the rows once and keeps
 * just the named columns — numeric ones as {@code double}s, text ones with each distinct value stored once — so
 * memory grows with (rows × columns asked for), not with the file. Every problem is one {@link AnalyzeError}
 * naming the file, the line (the header is line 1) and the column.
 *
 * <p>Numbers use the plain decimal syntax of CSV exports: an optional sign, digits with an optional decimal point,
 * an optional exponent ({@code -1.5}, {@code .5}, {@code 2e-3}). Java-only forms that {@link Double#parseDouble}
 * would accept — hexadecimal ({@code 0x1p3}), type suffixes ({@code 2d}, {@code 1f}), {@code NaN},
 * {@code Infinity} — are rejected, as are empty cells and values that overflow to infinity.
 */
public final class Csv {
  private final Path file;
  private final List<String> header;
  private final Map<String, double[]> numeric = new HashMap<>();
  private final Map<String, String> numericError = new HashMap<>();
  private final Map<String, Integer> numericCount = new HashMap<>();
  private final Map<String, String[]> text = new HashMap<>();
  private int rows = -1;

  private Csv(Path file, List<String> header) {
    this.file = file;
    this.header = header;
  }

  /** Opens the file and checks its header: readable, UTF-8, not empty, unique column names. */
  public static Csv read(String path) {
    var file = Path.of(path);
    if (!Files.isRegularFile(file)) throw new AnalyzeError("no such file: " + path);
    try (var lines = new Lines(file)) {
      String first = lines.next();
      if (first == null) throw new AnalyzeError(path + " is empty: expected a header row and data rows");
      var header = Arrays.stream(split(first)).map(String::trim).toList();
      var seen = new LinkedHashSet<String>();
      for (int c = 0; c < header.size(); c++) {
        if (!seen.add(header.get(c))) {
          throw new AnalyzeError(path + " line 1: the column name '" + header.get(c) + "' appears more than once "
              + "(columns " + (header.indexOf(header.get(c)) + 1) + " and " + (c + 1) + "); column names must be unique");
        }
      }
      return new Csv(file, header);
    }
  }

  /**
   * Streams the rows once, keeping the given columns: {@code numbers} parsed as numbers (a bad cell is remembered
   * and reported when the column is asked for, so that a caller can also ask whether a column is textual), and
   * {@code strings} as text. Checks every row's cell count. May be called again with other columns.
   */
  public Csv load(Collection<String> numbers, Collection<String> strings) {
    var wantedNumbers = new LinkedHashMap<String, Integer>();
    for (var name : numbers) wantedNumbers.put(name, index(name));
    var wantedText = new LinkedHashMap<String, Integer>();
    for (var name : strings) wantedText.put(name, index(name));
    var values = new double[wantedNumbers.size()][1024];
    var errors = new String[wantedNumbers.size()];
    var parsed = new int[wantedNumbers.size()];
    var cells = new String[wantedText.size()][1024];
    var interned = new HashMap<String, String>();
    var numberColumns = wantedNumbers.values().stream().mapToInt(Integer::intValue).toArray();
    var textColumns = wantedText.values().stream().mapToInt(Integer::intValue).toArray();
    var numberNames = wantedNumbers.keySet().toArray(String[]::new);
    int count = 0;
    try (var lines = new Lines(file)) {
      lines.next(); // the header
      String line;
      while ((line = lines.next()) != null) {
        var row = split(line);
        if (row.length != header.size()) {
          throw new AnalyzeError(file + " line " + lines.number() + " has " + row.length + " cells, the header has " + header.size());
        }
        if (count == (values.length > 0 ? values[0].length : cells.length > 0 ? cells[0].length : Integer.MAX_VALUE)) {
          for (int k = 0; k < values.length; k++) values[k] = Arrays.copyOf(values[k], grow(count));
          for (int k = 0; k < cells.length; k++) cells[k] = Arrays.copyOf(cells[k], grow(count));
        }
        for (int k = 0; k < numberColumns.length; k++) {
          var cell = row[numberColumns[k]].trim();
          double v = parse(cell);
          if (Double.isNaN(v)) {
            if (errors[k] == null) errors[k] = problem(cell, lines.number(), numberNames[k]);
          } else {
            parsed[k]++;
          }
          values[k][count] = v;
        }
        for (int k = 0; k < textColumns.length; k++) {
          var cell = row[textColumns[k]].trim();
          cells[k][count] = interned.computeIfAbsent(cell, s -> s);
        }
        count++;
      }
    }
    int k = 0;
    for (var name : wantedNumbers.keySet()) {
      numeric.put(name, Arrays.copyOf(values[k], count));
      if (errors[k] != null) numericError.put(name, errors[k]);
      else numericError.remove(name);
      numericCount.put(name, parsed[k]);
      k++;
    }
    k = 0;
    for (var name : wantedText.keySet()) text.put(name, Arrays.copyOf(cells[k++], count));
    rows = count;
    return this;
  }

  private static int grow(int size) {
    if (size >= Integer.MAX_VALUE - 16) throw new AnalyzeError("too many rows: more than " + size);
    return (int) Math.min(Integer.MAX_VALUE - 16L, size * 2L);
  }

  private String problem(String cell, long line, String column) {
    var where = file + " line " + line + " column '" + column + "': ";
    if (cell.isEmpty()) return where + "empty cell where a number is expected";
    if (isDecimal(cell)) return where + "'" + cell + "' is too large (not a finite number)";
    return where + "'" + cell + "' is not a number (plain decimal notation such as -1.5 or 2e-3 expected)";
  }

  /** The cell's value, or NaN when it is not a finite number in plain decimal notation. */
  static double parse(String cell) {
    if (!isDecimal(cell)) return Double.NaN;
    double v = Double.parseDouble(cell);
    return Double.isFinite(v) ? v : Double.NaN;
  }

  /** [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)? — nothing else. */
  static boolean isDecimal(String s) {
    int i = 0, n = s.length();
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
    int digits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) return false;
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
      int exp = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        exp++;
      }
      if (exp == 0) return false;
    }
    return i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Number of data rows (streams the file once if nothing was loaded yet). */
  public int size() {
    if (rows < 0) load(List.of(), List.of());
    return rows;
  }

  public List<String> header() {
    return header;
  }

  public boolean has(String column) {
    return header.contains(column);
  }

  /**
   * A numeric column; an empty cell or a non-number is an error naming the first such cell. A column that
   * {@link #load} did not keep is streamed now (one more pass over the file).
   */
  public double[] numbers(String column) {
    var v = loaded(numeric, column, true);
    var error = numericError.get(column);
    if (error != null) throw new AnalyzeError(error);
    return v;
  }

  /** True when no cell of the (loaded) numeric column is a number: an id or category column. */
  public boolean textual(String column) {
    loaded(numeric, column, true);
    return numericCount.get(column) == 0;
  }

  /** A 0/1 column (treatment, group, label). */
  public int[] binary(String column) {
    var values = numbers(column);
    var out = new int[values.length];
    for (int r = 0; r < values.length; r++) {
      if (values[r] != 0 && values[r] != 1) {
        throw new AnalyzeError(file + " column '" + column + "' must be 0 or 1, got " + values[r] + " in data row " + (r + 1));
      }
      out[r] = (int) values[r];
    }
    return out;
  }

  public String[] strings(String column) {
    return loaded(text, column, false);
  }

  private <T> T loaded(Map<String, T> columns, String column, boolean number) {
    index(column);
    if (!columns.containsKey(column)) load(number ? List.of(column) : List.of(), number ? List.of() : List.of(column));
    return columns.get(column);
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

  /**
   * The non-blank lines of a file, decoded strictly as UTF-8 (a malformed byte sequence is an error naming the
   * line, not a replacement character), the byte-order mark dropped, with the physical line number of the last
   * line returned.
   */
  private static final class Lines implements AutoCloseable {
    private final Path file;
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buffer = new byte[256];
    private long number;

    Lines(Path file) {
      this.file = file;
      try {
        this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      } catch (IOException e) {
        throw new AnalyzeError("cannot read " + file + ": " + e.getMessage());
      }
    }

    /** Lines are split on the bytes (LF, optional CR before it) and each decoded alone, so an error has its line. */
    String next() {
      try {
        while (true) {
          int length = 0;
          int b;
          while ((b = in.read()) != -1 && b != '\n') {
            if (length == buffer.length) buffer = Arrays.copyOf(buffer, buffer.length * 2);
            buffer[length++] = (byte) b;
          }
          if (b == -1 && length == 0) return null;
          number++;
          if (length > 0 && buffer[length - 1] == '\r') length--;
          String line;
          try {
            line = decoder.decode(ByteBuffer.wrap(buffer, 0, length)).toString();
          } catch (CharacterCodingException e) {
            throw new AnalyzeError(file + " is not UTF-8 text (invalid byte sequence on line " + number
                + "); save it as \"CSV UTF-8\" or convert it, e.g. iconv -f latin1 -t utf-8");
          }
          if (number == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1);
          if (!line.isBlank()) return line;
        }
      } catch (IOException e) {
        throw new AnalyzeError("cannot read " + file + ": " + e.getMessage());
      }
    }

    long number() {
      return number;
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        // nothing was written; a failed close of a reader loses nothing
      }
    }
  }
}
