package io.hireloop.learning.features;

import io.hireloop.journey.Domain;
import io.hireloop.journey.Domain.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * One application as the models learn from it: its snapshot at creation and its labels so far.
 *
 * <ul>
 *   <li><b>interview</b>: {@code label} once a status reaches an interview state ({@link Domain#INTERVIEW_STATUSES});
 *       {@code labelled} once that happened or the application was rejected, ghosted or withdrawn first.</li>
 *   <li><b>offer given interview</b>: among interviewed applications, {@code offer} once an offer state is reached
 *       ({@link Domain#OFFER_STATUSES}); {@code offerLabelled} once that happened or it ended rejected, ghosted or withdrawn.</li>
 *   <li><b>first response</b>: {@code responseDays} is the time from creation to the employer's first answer
 *       ({@code responded}: any status but {@code viewed}, {@code ghosted}, {@code withdrawn}), or, when the
 *       application was ghosted or withdrawn first, the time until then ({@code responded} false: censored).
 *       Null while nothing is known.</li>
 * </ul>
 *
 * @param asOfSeqNr the last journal event folded in; redelivered events at or below it change nothing
 */
public record ExampleRow(ApplicationSnapshot snapshot, boolean label, boolean labelled, boolean offer, boolean offerLabelled,
    Double responseDays, boolean responded, long asOfSeqNr) {

  public static final ExampleRow NONE = new ExampleRow(null, false, false, false, false, null, false, 0);
  static final Set<String> NEGATIVE_OUTCOMES = Set.of("rejected", "ghosted", "withdrawn");
  static final Set<String> NO_RESPONSE = Set.of("viewed", "ghosted", "withdrawn");
  static final Set<String> CENSORING = Set.of("ghosted", "withdrawn");

  public static ExampleRow created(UserHistory history, ApplicationContext context, Instant at, long seqNr) {
    return new ExampleRow(history.snapshot(context, at), false, false, false, false, null, false, seqNr);
  }

  /** APPLICATION_SUBMITTED restates the context; the history part of the snapshot stays as it was at creation. */
  public ExampleRow submitted(ApplicationContext context, Instant at, long seqNr) {
    var s = snapshot == null ? ApplicationSnapshot.ofContext(context, at) : snapshot.withContext(context);
    return new ExampleRow(s, label, labelled, offer, offerLabelled, responseDays, responded, seqNr);
  }

  public ExampleRow status(String status, ApplicationContext context, Instant at, Integer daysToResponse, long seqNr) {
    var s = snapshot;
    if (context != null) s = s == null ? ApplicationSnapshot.ofContext(context, at) : s.withContext(context);
    boolean interview = Domain.INTERVIEW_STATUSES.contains(status);
    boolean negative = NEGATIVE_OUTCOMES.contains(status);
    boolean newLabel = label || interview;
    boolean newLabelled = labelled || interview || negative;
    boolean newOffer = offer || (newLabel && Domain.OFFER_STATUSES.contains(status));
    boolean newOfferLabelled = offerLabelled || newOffer || (label && negative);
    Double days = responseDays;
    boolean resp = responded;
    if (!responded && (days == null || !CENSORING.contains(status))) {
      if (!NO_RESPONSE.contains(status)) {
        days = daysSince(daysToResponse, at);
        resp = true;
      } else if (CENSORING.contains(status) && days == null) {
        days = daysSince(null, at);
      }
    }
    return new ExampleRow(s, newLabel, newLabelled, newOffer, newOfferLabelled, days, resp, seqNr);
  }

  private Double daysSince(Integer reported, Instant at) {
    if (reported != null) return (double) reported;
    if (snapshot == null || snapshot.appliedAt() == null || at == null) return null;
    return Math.max(0, Duration.between(snapshot.appliedAt(), at).toMinutes() / 1440.0);
  }
}
