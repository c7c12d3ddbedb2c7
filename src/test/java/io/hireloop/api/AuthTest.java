package io.hireloop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every way a token can be wrong is a 401 with the error body; key rotation accepts the previous secret while configured. */
class AuthTest {
  static final String SECRET = "current-secret-0123456789";
  static final String PREVIOUS = "previous-secret-0123456789";
  static final Auth AUTH = new Auth(SECRET, "hireloop");

  /** A token with the usual claims, changed by {@code edit}, signed by {@code algorithm}. */
  static String token(Algorithm algorithm, UnaryOperator<JWTCreator.Builder> edit) {
    var b = JWT.create().withIssuer("hireloop").withSubject("u-1").withClaim("role", "admin")
        .withExpiresAt(Instant.now().plusSeconds(3600));
    return edit.apply(b).sign(algorithm);
  }

  static String token(UnaryOperator<JWTCreator.Builder> edit) {
    return token(Algorithm.HMAC256(SECRET), edit);
  }

  /** header.payload.signature from raw JSON parts (for claims the builder cannot express). */
  static String raw(String header, String payload, String signature) {
    var enc = Base64.getUrlEncoder().withoutPadding();
    return enc.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + enc.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "." + signature;
  }

  static Stream<Arguments> hostile() {
    return hostile(SECRET);
  }

  /** The hostile tokens against {@code secret}, by name; HostileInputTest sends the same ones to a node. */
  static Stream<Arguments> hostile(String secret) {
    var key = Algorithm.HMAC256(secret);
    long exp = Instant.now().plusSeconds(3600).getEpochSecond();
    var valid = token(key, b -> b);
    var validSignature = valid.substring(valid.lastIndexOf('.') + 1);
    return Stream.of(
        Arguments.of("alg none", token(Algorithm.none(), b -> b)),
        Arguments.of("alg none, upper case, with the real signature", raw("{\"alg\":\"NONE\",\"typ\":\"JWT\"}",
            "{\"iss\":\"hireloop\",\"sub\":\"u-1\",\"role\":\"admin\",\"exp\":" + exp + "}", validSignature)),
        Arguments.of("alg none, empty signature", raw("{\"alg\":\"none\"}",
            "{\"iss\":\"hireloop\",\"sub\":\"u-1\",\"role\":\"admin\",\"exp\":" + exp + "}", "")),
        Arguments.of("HS512 with the right secret", token(Algorithm.HMAC512(secret), b -> b)),
        Arguments.of("wrong key", token(Algorithm.HMAC256("some-other-secret-0123456789"), b -> b)),
        Arguments.of("expired", token(key, b -> b.withExpiresAt(Instant.now().minusSeconds(10)))),
        Arguments.of("not yet valid (nbf)", token(key, b -> b.withNotBefore(Instant.now().plusSeconds(600)))),
        Arguments.of("issued in the future (iat)", token(key, b -> b.withIssuedAt(Instant.now().plusSeconds(600)))),
        Arguments.of("missing sub", token(key, b -> JWT.create().withIssuer("hireloop").withClaim("role", "admin")
            .withExpiresAt(Instant.now().plusSeconds(3600)))),
        Arguments.of("missing role", token(key, b -> JWT.create().withIssuer("hireloop").withSubject("u-1")
            .withExpiresAt(Instant.now().plusSeconds(3600)))),
        Arguments.of("missing exp", token(key, b -> JWT.create().withIssuer("hireloop").withSubject("u-1")
            .withClaim("role", "admin"))),
        Arguments.of("missing iss", token(key, b -> JWT.create().withSubject("u-1").withClaim("role", "admin")
            .withExpiresAt(Instant.now().plusSeconds(3600)))),
        Arguments.of("wrong iss", token(key, b -> b.withIssuer("someone-else"))),
        Arguments.of("unknown role", token(key, b -> b.withClaim("role", "root"))),
        Arguments.of("role not a string", token(key, b -> b.withClaim("role", 7))),
        Arguments.of("blank sub", token(key, b -> b.withSubject("  "))),
        Arguments.of("malformed: not a JWT", "not-a-jwt"),
        Arguments.of("malformed: three empty parts", ".."),
        Arguments.of("malformed: header not JSON", raw("alg=HS256", "{\"sub\":\"u-1\"}", validSignature)),
        Arguments.of("malformed: payload not JSON", valid.substring(0, valid.indexOf('.') + 1) + "bm90LWpzb24." + validSignature),
        Arguments.of("malformed: not base64", "%%%.%%%.%%%"),
        Arguments.of("malformed: 4 parts", valid + ".extra"),
        Arguments.of("malformed: 6 KB of garbage", "A".repeat(6000) + "." + "B".repeat(100) + ".C"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileTokensAre401sWithTheErrorBody(String name, String token) {
    var e = assertThrows(ApiError.class, () -> AUTH.verify(token), name);
    assertEquals(401, e.status.intValue(), name);
    assertEquals("unauthorized", e.code, name);
    var body = e.response().entity();
    assertTrue(body.getContentType().toString().contains("application/json"), name);
  }

  @Test
  void aValidTokenGivesItsPrincipal() {
    assertEquals(new Auth.Principal("u-1", "admin"), AUTH.verify(token(b -> b)));
    assertEquals(new Auth.Principal("u-1", "admin"), AUTH.verify(token(b -> b.withNotBefore(Instant.now().minusSeconds(5)))));
    assertEquals(new Auth.Principal("svc", "service"), AUTH.verify(AUTH.issue("svc", "service", Duration.ofMinutes(5))));
  }

  @Test
  void theMessageSaysWhatIsWrong() {
    assertTrue(assertThrows(ApiError.class, () -> AUTH.verify(token(b -> b.withExpiresAt(Instant.now().minusSeconds(10)))))
        .getMessage().contains("expired"));
    assertTrue(assertThrows(ApiError.class, () -> AUTH.verify(token(b -> b.withClaim("role", "root")))).getMessage().contains("role"));
    assertTrue(assertThrows(ApiError.class, () -> AUTH.verify(token(Algorithm.none(), b -> b))).getMessage().contains("Algorithm"));
  }

  @Test
  void aTokenOfThePreviousSecretIsAcceptedWhileConfiguredAndRefusedOnceRemoved() {
    var old = new Auth(PREVIOUS, "hireloop").issue("u-9", "user", Duration.ofMinutes(5));
    var rotated = new Auth(SECRET, List.of(PREVIOUS), "hireloop");
    assertEquals(new Auth.Principal("u-9", "user"), rotated.verify(old));

    var removed = new Auth(SECRET, List.of(), "hireloop");
    assertEquals(401, assertThrows(ApiError.class, () -> removed.verify(old)).status.intValue());
  }

  @Test
  void newTokensAreSignedWithTheCurrentSecretOnly() {
    var rotated = new Auth(SECRET, List.of(PREVIOUS), "hireloop");
    var fresh = rotated.issue("u-9", "user", Duration.ofMinutes(5));
    assertEquals(new Auth.Principal("u-9", "user"), new Auth(SECRET, "hireloop").verify(fresh));
    assertThrows(ApiError.class, () -> new Auth(PREVIOUS, "hireloop").verify(fresh));
  }

  @Test
  void aTokenOfThePreviousSecretIsStillCheckedInFull() {
    var previous = Algorithm.HMAC256(PREVIOUS);
    var rotated = new Auth(SECRET, List.of(PREVIOUS), "hireloop");
    var expired = token(previous, b -> b.withExpiresAt(Instant.now().minusSeconds(10)));
    assertTrue(assertThrows(ApiError.class, () -> rotated.verify(expired)).getMessage().contains("expired"));
    assertThrows(ApiError.class, () -> rotated.verify(token(previous, b -> b.withClaim("role", "root"))));
    assertThrows(ApiError.class, () -> rotated.verify(token(previous, b -> b.withNotBefore(Instant.now().plusSeconds(600)))));
  }

  @Test
  void fromConfigReadsThePreviousSecrets() {
    var config = ConfigFactory.parseMap(Map.of("hireloop.auth.jwt-secret", SECRET, "hireloop.auth.issuer", "hireloop",
        "hireloop.auth.previous-jwt-secrets", List.of(PREVIOUS)));
    var old = new Auth(PREVIOUS, "hireloop").issue("u-9", "user", Duration.ofMinutes(5));
    assertEquals("u-9", Auth.fromConfig(config).verify(old).subject());
    var withoutList = ConfigFactory.parseMap(Map.of("hireloop.auth.jwt-secret", SECRET, "hireloop.auth.issuer", "hireloop"));
    assertThrows(ApiError.class, () -> Auth.fromConfig(withoutList).verify(old));
  }

  @Test
  void shortSecretsAreRefusedAtStart() {
    assertThrows(IllegalArgumentException.class, () -> new Auth("short", "hireloop"));
    assertThrows(IllegalArgumentException.class, () -> new Auth(SECRET, List.of("short"), "hireloop"));
  }
}
