package io.hireloop.cli.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hireloop.platform.Json;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Structure-aware mutations of valid JSON examples, seeded (the same seed gives the same inputs): field
 * deletions and renames, type swaps, huge and odd numbers, long and unicode strings, dictionary values (the
 * target's interesting strings: timestamps at the edges of time, enum values), deep nesting, duplicated array
 * elements; then, sometimes, byte-level damage (truncation, flipped or inserted bytes, invalid UTF-8).
 */
public final class JsonMutator {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String[] ODD_STRINGS = {"", " ", "\u0000", "\uFEFF", "null", "true", "-1", "NaN", "1e999",
      "ü", "日本語", "\uD83D\uDE00", "\u202E", "a\nb", "\\", "\"", "</script>", "%s%n", "${jndi:x}", "..", "user:u-1"};
  private static final String[] ODD_NUMBERS = {"0", "-0", "-1", "1e308", "-1e308", "1e400", "4.9e-324",
      "9223372036854775807", "9223372036854775808", "18446744073709551621", "-9223372036854775809", "2147483648",
      "0.30000000000000004", "1" + "0".repeat(300)};

  private final Random random;
  private final List<JsonNode> seeds;
  private final List<String> dictionary;

  public JsonMutator(long seed, List<String> seedJson, List<String> dictionary) {
    this.random = new Random(seed);
    this.seeds = seedJson.stream().map(Json::read).toList();
    this.dictionary = List.copyOf(dictionary);
  }

  /** Inputs are at most this long, as the HTTP layer refuses longer bodies (413) before any parser sees them. */
  public static final int MAX_INPUT = 1024 * 1024;

  /** The next input: a mutated copy of one seed, as UTF-8 bytes, at most {@link #MAX_INPUT} of them. */
  public byte[] next() {
    while (true) {
      var bytes = candidate();
      if (bytes.length <= MAX_INPUT) return bytes;
    }
  }

  private byte[] candidate() {
    var tree = seeds.get(random.nextInt(seeds.size())).deepCopy();
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations; i++) tree = mutate(tree);
    String text = switch (random.nextInt(10)) {
      case 0 -> spliced(tree, ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)]);
      case 1 -> spliced(tree, deepText());
      default -> Json.write(tree);
    };
    var bytes = text.getBytes(StandardCharsets.UTF_8);
    return random.nextInt(8) == 0 ? damage(bytes) : bytes;
  }

  private JsonNode mutate(JsonNode root) {
    var containers = new ArrayList<JsonNode>();
    collect(root, containers, 0);
    var target = containers.get(random.nextInt(containers.size()));
    switch (random.nextInt(10)) {
      case 0 -> deleteOne(target);
      case 1, 2 -> replaceOne(target, randomValue(0));
      case 3 -> replaceOne(target, F.textNode(dictionary.isEmpty() ? "x" : dictionary.get(random.nextInt(dictionary.size()))));
      case 4 -> replaceOne(target, F.textNode(longString()));
      case 5 -> replaceOne(target, nest(childOrSelf(target), 1 + random.nextInt(50)));
      case 6 -> duplicate(target);
      case 7 -> renameOne(target);
      case 8 -> {
        if (target instanceof ObjectNode o) o.set(randomString(8), randomValue(0));
        else if (target instanceof ArrayNode a) a.add(randomValue(0));
      }
      default -> replaceOne(target, F.textNode(ODD_STRINGS[random.nextInt(ODD_STRINGS.length)]));
    }
    return root;
  }

  private static void collect(JsonNode node, List<JsonNode> out, int depth) {
    if (node.isContainerNode()) {
      out.add(node);
      if (depth < 20) node.forEach(child -> collect(child, out, depth + 1));
    }
  }

  private JsonNode childOrSelf(JsonNode container) {
    if (container.isEmpty()) return container.deepCopy();
    var children = new ArrayList<JsonNode>();
    container.forEach(children::add);
    return children.get(random.nextInt(children.size())).deepCopy();
  }

  private void deleteOne(JsonNode target) {
    if (target instanceof ObjectNode o && !o.isEmpty()) {
      var names = new ArrayList<String>();
      o.fieldNames().forEachRemaining(names::add);
      o.remove(names.get(random.nextInt(names.size())));
    } else if (target instanceof ArrayNode a && !a.isEmpty()) {
      a.remove(random.nextInt(a.size()));
    }
  }

  private void replaceOne(JsonNode target, JsonNode value) {
    if (target instanceof ObjectNode o && !o.isEmpty()) {
      var names = new ArrayList<String>();
      o.fieldNames().forEachRemaining(names::add);
      o.set(names.get(random.nextInt(names.size())), value);
    } else if (target instanceof ArrayNode a && !a.isEmpty()) {
      a.set(random.nextInt(a.size()), value);
    }
  }

  private void renameOne(JsonNode target) {
    if (target instanceof ObjectNode o && !o.isEmpty()) {
      var names = new ArrayList<String>();
      o.fieldNames().forEachRemaining(names::add);
      var name = names.get(random.nextInt(names.size()));
      var value = o.remove(name);
      o.set(name.substring(0, name.length() / 2) + randomString(2), value);
    }
  }

  private void duplicate(JsonNode target) {
    if (target instanceof ArrayNode a && !a.isEmpty()) {
      var el = a.get(random.nextInt(a.size()));
      // many copies (over the 500-event batch limit) only of small elements: the body limit is 1 MiB anyway
      int copies = random.nextBoolean() || el.toString().length() > 2_000 ? 1 + random.nextInt(3) : 400 + random.nextInt(200);
      for (int i = 0; i < copies; i++) a.add(el.deepCopy());
    }
  }

  private JsonNode nest(JsonNode inner, int depth) {
    JsonNode node = inner;
    for (int i = 0; i < depth; i++) node = random.nextBoolean() ? F.arrayNode().add(node) : F.objectNode().set("a", node);
    return node;
  }

  private JsonNode randomValue(int depth) {
    return switch (random.nextInt(depth > 2 ? 5 : 7)) {
      case 0 -> F.nullNode();
      case 1 -> F.booleanNode(random.nextBoolean());
      case 2 -> random.nextBoolean() ? F.numberNode(random.nextInt()) : F.numberNode(random.nextGaussian() * 1e6);
      case 3 -> F.textNode(randomString(random.nextInt(20)));
      case 4 -> F.numberNode(new BigInteger(130, random).negate());
      case 5 -> {
        var a = F.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) a.add(randomValue(depth + 1));
        yield a;
      }
      default -> {
        var o = F.objectNode();
        for (int i = random.nextInt(4); i > 0; i--) o.set(randomString(5), randomValue(depth + 1));
        yield o;
      }
    };
  }

  private String longString() {
    // just over each limit mostly; a 100-200 KB string now and then (they cost the most to write and parse)
    int length = switch (random.nextInt(10)) {
      case 0, 1, 2, 3, 4 -> 513;
      case 5, 6, 7, 8 -> 16 * 1024 + 1;
      default -> 100_000 + random.nextInt(100_000);
    };
    return String.valueOf((char) ('a' + random.nextInt(26))).repeat(length);
  }

  /** Any code points, lone surrogates included (they reach the server as '?' after UTF-8 encoding). */
  private String randomString(int length) {
    var sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(4);
      if (kind == 0) sb.append((char) random.nextInt(0x80));
      else if (kind == 1) sb.append((char) random.nextInt(0x10000));
      else if (kind == 2) sb.appendCodePoint(0x10000 + random.nextInt(0x100000));
      else sb.append((char) ('a' + random.nextInt(26)));
    }
    return sb.toString();
  }

  /**
   * {@code tree} as text with one value replaced by {@code raw}: numbers the tree would round (huge, long
   * overflow) and nesting deeper than Jackson writes (its write limit is the read limit, 1,000).
   */
  private String spliced(JsonNode tree, String raw) {
    var containers = new ArrayList<JsonNode>();
    collect(tree, containers, 0);
    replaceOne(containers.get(random.nextInt(containers.size())), F.textNode("@@splice@@"));
    var text = Json.write(tree);
    int at = text.indexOf("\"@@splice@@\"");
    return at < 0 ? text : text.substring(0, at) + raw + text.substring(at + "\"@@splice@@\"".length());
  }

  /** Nested arrays or objects 10 to 10,000 levels deep. */
  private String deepText() {
    int[] depths = {10, 999, 1001, 10_000};
    int depth = depths[random.nextInt(depths.length)];
    return random.nextBoolean() ? "[".repeat(depth) + "1" + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  private byte[] damage(byte[] bytes) {
    if (bytes.length == 0) return bytes;
    return switch (random.nextInt(4)) {
      case 0 -> java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length)); // truncated
      case 1 -> {
        var b = bytes.clone();
        b[random.nextInt(b.length)] = (byte) random.nextInt(256); // flipped, possibly invalid UTF-8
        yield b;
      }
      case 2 -> {
        var b = bytes.clone();
        b[random.nextInt(b.length)] = (byte) (0x80 | random.nextInt(0x40)); // a lone continuation byte
        yield b;
      }
      default -> {
        int at = random.nextInt(bytes.length);
        var b = new byte[bytes.length + 2];
        System.arraycopy(bytes, 0, b, 0, at);
        b[at] = (byte) 0xC0; // overlong encoding of '/'
        b[at + 1] = (byte) 0xAF;
        System.arraycopy(bytes, at, b, at + 2, bytes.length - at);
        yield b;
      }
    };
  }
}
