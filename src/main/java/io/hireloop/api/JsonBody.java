package io.hireloop.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.hireloop.platform.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * The JSON object of a request body, read strictly: {@code application/json} (or a {@code +json} type), UTF-8
 * without a malformed byte (no silent U+FFFD), one JSON object and nothing after it. Jackson's read limits
 * (nesting depth 1,000, number length 1,000) bound what a hostile body costs below the 1 MiB body limit.
 */
public final class JsonBody {
  private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBody() {}

  /** Null when the content type is JSON, else the 415 that says what to send. */
  public static ApiError contentTypeProblem(ContentType contentType) {
    var media = contentType.mediaType();
    boolean json = media.mainType().equals("application")
        && (media.subType().equals("json") || media.subType().endsWith("+json"));
    if (json) return null;
    return new ApiError(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
        "the body must be JSON: send Content-Type: application/json (got " + media + ")", List.of());
  }

  /** The object of {@code bytes}; throws the 400 ({@code malformed_json} or {@code bad_request}) otherwise. */
  public static JsonNode read(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ApiError(StatusCodes.BAD_REQUEST, "malformed_json", "the body is not valid UTF-8", List.of());
    }
    if (text.isBlank()) throw ApiError.badRequest("the body is empty: send a JSON object");
    JsonNode node;
    try {
      node = READER.readTree(text);
    } catch (Exception e) {
      var message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      throw new ApiError(StatusCodes.BAD_REQUEST, "malformed_json", "the body is not valid JSON: " + message, List.of());
    }
    if (node == null || !node.isObject()) throw ApiError.badRequest("the body must be a JSON object");
    return node;
  }
}
