package io.hireloop.privacy;

import com.typesafe.config.Config;
import java.util.Base64;
import javax.crypto.SecretKey;

/**
 * The node's master key ({@code hireloop.privacy.master-key}, base64 of 16, 24 or 32 bytes): it wraps every user's
 * data key before the key is stored, so the key table alone opens nothing. Every node of a cluster needs the same one.
 */
public final class MasterKey {
  public static final String PATH = "hireloop.privacy.master-key";

  private MasterKey() {}

  /** The configured key; a missing, non-base64 or wrongly sized value fails with a message naming the setting. */
  public static SecretKey from(Config config) {
    if (!config.hasPath(PATH)) throw new IllegalArgumentException(PATH + " is not set (base64 of a 16, 24 or 32 byte AES key)");
    return parse(config.getString(PATH));
  }

  static SecretKey parse(String base64) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PATH + " is not valid base64: " + e.getMessage());
    }
    if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
      throw new IllegalArgumentException(PATH + " must decode to 16, 24 or 32 bytes (an AES key), not " + raw.length
          + " (e.g. `head -c 32 /dev/urandom | base64`)");
    }
    return Aead.key(raw);
  }
}
