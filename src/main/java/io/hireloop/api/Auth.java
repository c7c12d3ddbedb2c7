package io.hireloop.api;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** HS256 JWTs with claims sub, role (user | service | admin) and exp (API.md "Auth"). */
public final class Auth {
  public static final Set<String> ROLES = Set.of("user", "service", "admin");

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

  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final String issuer;

  public Auth(String secret, String issuer) {
    if (secret == null || secret.length() < 16) {
      throw new IllegalArgumentException("hireloop.auth.jwt-secret must be at least 16 characters");
    }
    this.algorithm = Algorithm.HMAC256(secret);
    this.issuer = issuer;
    this.verifier = JWT.require(algorithm).withIssuer(issuer).withClaimPresence("sub").withClaimPresence("role")
        .withClaimPresence("exp").build();
  }

  public String issue(String subject, String role, Duration ttl) {
    if (!ROLES.contains(role)) throw new IllegalArgumentException("role must be one of user, service, admin");
    return JWT.create().withIssuer(issuer).withSubject(subject).withClaim("role", role)
        .withIssuedAt(Instant.now()).withExpiresAt(Instant.now().plus(ttl)).sign(algorithm);
  }

  /** The principal of a bearer token, or an ApiError 401 saying what is wrong with it. */
  public Principal verify(String token) {
    try {
      var jwt = verifier.verify(token);
      var role = jwt.getClaim("role").asString();
      if (role == null || !ROLES.contains(role)) throw ApiError.unauthorized("token role must be one of user, service, admin");
      return new Principal(jwt.getSubject(), role);
    } catch (TokenExpiredException e) {
      throw ApiError.unauthorized("token expired: get a new one (bin/hireloop token)");
    } catch (JWTVerificationException e) {
      throw ApiError.unauthorized("invalid token: " + e.getMessage());
    }
  }
}
