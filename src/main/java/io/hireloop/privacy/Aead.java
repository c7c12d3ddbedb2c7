package io.hireloop.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM from the JDK: {@code [version 1][iv 12][ciphertext + tag 16]}. The associated data binds a ciphertext to
 * what it belongs to (a user id and a purpose), so bytes copied to another user's row never decrypt there.
 */
final class Aead {
  static final byte VERSION = 1;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Aead() {}

  /** Thrown when the bytes do not open with the key (wrong key, another user's bytes, or tampered). */
  static final class Unreadable extends Exception {
    Unreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static SecretKey newKey() {
    try {
      var generator = KeyGenerator.getInstance("AES");
      generator.init(256, RANDOM);
      return generator.generateKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256 is not available in this JDK", e);
    }
  }

  static SecretKey key(byte[] raw) {
    return new SecretKeySpec(raw, "AES");
  }

  static byte[] seal(SecretKey key, byte[] plain, String associated) {
    var iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      var cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
      var out = new byte[1 + IV_BYTES + cipher.getOutputSize(plain.length)];
      out[0] = VERSION;
      System.arraycopy(iv, 0, out, 1, IV_BYTES);
      cipher.doFinal(plain, 0, plain.length, out, 1 + IV_BYTES);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  static byte[] open(SecretKey key, byte[] sealed, String associated) throws Unreadable {
    if (sealed.length < 1 + IV_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw new Unreadable("not sealed bytes of version " + VERSION, null);
    }
    try {
      var cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + IV_BYTES)));
      cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(sealed, 1 + IV_BYTES, sealed.length - 1 - IV_BYTES);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new Unreadable("the key does not open these bytes", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }
}
