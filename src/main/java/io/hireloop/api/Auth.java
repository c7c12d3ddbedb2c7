package io.hireloop.api;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * HS256 JWTs with claims sub, role (user | service | admin), exp and iss (API.md "Auth"); all four are required,
 * nbf and iat are honoured when present. Any other algorithm, {@code alg: none} included, is refused.
 *
 * <p>Key rotation: tokens are signed with the current secret and accepted when signed with it or with one of the
 * previous secrets ({@code hireloop.auth.previous-jwt-secrets}), so tokens issued before a rotation keep working
 * until they expire or their secret is removed from the list.
 */
public final class Auth {
  public static final Set<String> ROLES = Set.of("user", "service", "admin");
  /** Secrets shorter than this are refused at start: HS256 with a short secret can be brute-forced offline. */
  public static final int MIN_SECRET_LENGTH = 16;
  /** The same bound as every other id of the API. */
  static final int MAX_SUBJECT = 512;

  /** Who is calling. */
  public record Principal(String subject, String role) {
    public boolean isAdmin() {
      return role.equals("admin");
    }

    /** A user reads and writes only its own data; services and admins any user's. */
    public boolean mayAccessUser(String userId) {
      return !role.equals("user") || subject.equals(userId);
    }
  }

  private final Algorithm signing;
  /** The current secret's verifier first, then the previous secrets' in configuration order. */
  private final List<JWTVerifier> verifiers;
  private final String issuer;

  public Auth(String secret, String issuer) {
    this(secret, List.of(), issuer);
  }

  public Auth(String secret, List<String> previousSecrets, String issuer) {
    requireStrong(secret, "hireloop.auth.jwt-secret");
    for (var previous : previousSecrets) requireStrong(previous, "every hireloop.auth.previous-jwt-secrets entry");
    this.signing = Algorithm.HMAC256(secret);
    this.issuer = issuer;
    var verifiers = new ArrayList<JWTVerifier>();
    verifiers.add(verifier(signing, issuer));
    for (var previous : previousSecrets) verifiers.add(verifier(Algorithm.HMAC256(previous), issuer));
    this.verifiers = List.copyOf(verifiers);
  }

  /** From {@code hireloop.auth}: {@code jwt-secret}, {@code previous-jwt-secrets} and {@code issuer}. */
  public static Auth fromConfig(Config config) {
    var auth = config.getConfig("hireloop.auth");
    var previous = auth.hasPath("previous-jwt-secrets") ? auth.getStringList("previous-jwt-secrets") : List.<String>of();
    return new Auth(auth.getString("jwt-secret"), previous, auth.getString("issuer"));
  }

  private static void requireStrong(String secret, String what) {
    if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException(what + " must be at least " + MIN_SECRET_LENGTH + " characters");
    }
  }

  private static JWTVerifier verifier(Algorithm algorithm, String issuer) {
    return JWT.require(algorithm).withIssuer(issuer).withClaimPresence("sub").withClaimPresence("role")
        .withClaimPresence("exp").build();
  }

  /** A token signed with the current secret. */
  public String issue(String subject, String role, Duration ttl) {
    if (!ROLES.contains(role)) throw new IllegalArgumentException("role must be one of user, service, admin");
    return JWT.create().withIssuer(issuer).withSubject(subject).withClaim("role", role)
        .withIssuedAt(Instant.now()).withExpiresAt(Instant.now().plus(ttl)).sign(signing);
  }

  /** The principal of a bearer token, or an ApiError 401 saying what is wrong with it. */
  public Principal verify(String token) {
    try {
      var jwt = verified(token);
      var role = jwt.getClaim("role").asString();
      if (role == null || !ROLES.contains(role)) throw ApiError.unauthorized("token role must be one of user, service, admin");
      var subject = jwt.getSubject();
      if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT) {
        throw ApiError.unauthorized("token sub must be a non-empty string of at most " + MAX_SUBJECT + " characters");
      }
      return new Principal(subject, role);
    } catch (TokenExpiredException e) {
      throw ApiError.unauthorized("token expired: get a new one (bin/hireloop token)");
    } catch (JWTVerificationException e) {
      throw ApiError.unauthorized("invalid token: " + e.getMessage());
    } catch (ApiError e) {
      throw e;
    } catch (RuntimeException e) {
      // the library's decoding of a hostile token must never become a 500
      throw ApiError.unauthorized("invalid token");
    }
  }

  /**
   * Verified by the first secret whose signature matches. The signature is checked before the claims, so only a
   * wrong signature moves on to the next secret; an expired or incomplete token fails on its own secret.
   */
  private DecodedJWT verified(String token) {
    SignatureVerificationException wrongKey = null;
    for (var verifier : verifiers) {
      try {
        return verifier.verify(token);
      } catch (SignatureVerificationException e) {
        wrongKey = e;
      }
    }
    throw wrongKey;
  }
}
