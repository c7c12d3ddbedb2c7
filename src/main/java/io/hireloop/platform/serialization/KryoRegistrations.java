package io.hireloop.platform.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import io.hireloop.config.ConfigChannel;
import io.hireloop.experiment.Experiment;
import io.hireloop.experiment.ExperimentRollout;
import io.hireloop.journey.Domain;
import io.hireloop.journey.JobSeeker;
import io.hireloop.journey.JourneyEvent;
import io.hireloop.learning.LearningCoordinator;
import io.hireloop.learning.ModelRegistry;
import io.hireloop.stream.StreamMessage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * THE table of Kryo registration ids. The id, not the class name, goes into the journal.
 *
 * <p><b>Schema-evolution rule.</b> Kryo's RecordSerializer writes the component values with no names and no
 * count, in alphabetical order of component name (not declaration order), so bytes are readable only by
 * the exact same component list. A registered class is frozen once released: never reorder, rename, remove or add components of a
 * released record, never reorder or remove constants of a released enum (append only). To evolve, add a
 * new record with a new id and upcast the old one where it is read (the event handler); the old id stays
 * registered forever. Ids are never reused, not even after a class is deleted. Golden-bytes tests
 * ({@code GoldenBytesTest}) hold every released shape.
 *
 * <p>Ranges: 100–199 JDK, collections and Pekko types; 200–299 journey domain; 300–399 journey events;
 * 400–499 journey commands/replies; 500–599 experiment; 600–699 learning/config; 700–799 stream;
 * 800–829 recommendations; 830–849 attribution; 1000–1029 privacy (erasure, sealed events and snapshots); 900–999 test-only classes (config {@code hireloop.serialization.kryo.test-registrations}).
 *
 * <p>Adding a class is one line in {@link #TABLE}: {@code reg(301, JourneyEvents.Applied.class),}
 */
public final class KryoRegistrations {
  private KryoRegistrations() {}

  /** Reserved for classes that exist only in tests (registered through config, never in TABLE). */
  static final int TEST_IDS_FROM = 900, TEST_IDS_TO = 999;

  /** One row; {@code serializer == null} means Kryo's default for the class (records: RecordSerializer). */
  public record Entry(int id, Class<?> type, Function<ActorRefKryoSerializer, Serializer<?>> serializer) {}

  static Entry reg(int id, Class<?> type) {
    return new Entry(id, type, null);
  }

  static Entry reg(int id, Class<?> type, Supplier<Serializer<?>> serializer) {
    return new Entry(id, type, refs -> serializer.get());
  }

  public static final List<Entry> TABLE = List.of(
      // ---- 100–199 JDK, collections, Pekko ----
      reg(100, ArrayList.class),
      reg(101, LinkedList.class),
      reg(102, HashMap.class),
      reg(103, LinkedHashMap.class),
      reg(104, TreeMap.class),
      reg(105, HashSet.class),
      reg(106, LinkedHashSet.class),
      reg(107, TreeSet.class),
      // JDK immutable collections (List.of/copyOf, Set.of/copyOf, Map.of/ofEntries/copyOf, Stream.toList)
      reg(110, List.of().getClass()),                               // ImmutableCollections.ListN
      reg(111, List.of(1).getClass()),                              // ImmutableCollections.List12
      reg(112, List.of(1, 2, 3, 4).subList(0, 2).getClass()),       // ImmutableCollections.SubList
      reg(113, Set.of().getClass(), PlatformSerializers.ImmutableSetSerializer::new),    // SetN
      reg(114, Set.of(1).getClass(), PlatformSerializers.ImmutableSetSerializer::new),   // Set12
      reg(115, Map.of().getClass(), PlatformSerializers.ImmutableMapSerializer::new),    // MapN
      reg(116, Map.of(1, 1).getClass(), PlatformSerializers.ImmutableMapSerializer::new), // Map1
      reg(117, io.hireloop.platform.PersistentMap.class, PlatformSerializers.PersistentMapSerializer::new), // structurally shared
      // java.util.Collections / Arrays wrappers
      reg(120, Collections.emptyList().getClass()),
      reg(121, Collections.emptySet().getClass()),
      reg(122, Collections.emptyMap().getClass()),
      reg(123, Collections.singletonList(1).getClass()),
      reg(124, Collections.singleton(1).getClass()),
      reg(125, Collections.singletonMap(1, 1).getClass()),
      reg(126, Collections.unmodifiableList(new ArrayList<>()).getClass(), PlatformSerializers::unmodifiableList),
      reg(127, Collections.unmodifiableList(new LinkedList<>()).getClass(), PlatformSerializers::unmodifiableList),
      reg(128, Collections.unmodifiableSet(new HashSet<>()).getClass(), PlatformSerializers::unmodifiableSet),
      reg(129, Collections.unmodifiableMap(new HashMap<>()).getClass(), PlatformSerializers.UnmodifiableMapSerializer::new),
      reg(130, Collections.unmodifiableCollection(new ArrayList<>()).getClass(), PlatformSerializers::unmodifiableList),
      reg(131, Arrays.asList(1).getClass()),
      // values
      reg(140, Instant.class),
      reg(141, Duration.class),
      reg(142, LocalDate.class),
      reg(143, UUID.class, DefaultSerializers.UUIDSerializer::new),
      reg(144, BigDecimal.class),
      reg(145, BigInteger.class),
      // arrays
      reg(150, String[].class),
      reg(151, double[].class),
      reg(152, byte[].class),
      reg(153, int[].class),
      reg(154, long[].class),
      reg(155, boolean[].class),
      reg(156, float[].class),
      // Pekko: every typed ActorRef implementation is written under this one id (see HireloopKryo)
      new Entry(170, org.apache.pekko.actor.typed.ActorRef.class, refs -> refs),
      reg(171, org.apache.pekko.Done.getInstance().getClass(), PlatformSerializers.DoneSerializer::new),

      // ---- 200–299 journey domain ----
      reg(200, Domain.JobCharacteristics.class),
      reg(201, Domain.ApplicationContext.class),
      reg(202, Domain.Outcome.class),
      reg(203, Domain.StrategyMetrics.class),
      reg(204, Domain.Profile.class),

      // ---- 300–399 journey events (300–309) and snapshot state (310–319) ----
      reg(300, JourneyEvent.ApplicationRecorded.class),
      reg(301, JourneyEvent.StatusChanged.class),
      reg(302, JourneyEvent.StrategyChanged.class),
      reg(303, JourneyEvent.ResumeChanged.class),
      reg(304, JourneyEvent.SuggestionFeedback.class),
      reg(305, JourneyEvent.ExperimentExposed.class),
      reg(306, JourneyEvent.PreferencesChanged.class),
      reg(307, JourneyEvent.ReminderSent.class),
      reg(308, JourneyEvent.ProfileUpdated.class),
      reg(310, JobSeeker.LegacyState.class), // the first State shape: old snapshots, upcast by JobSeeker's snapshot adapter
      reg(311, JobSeeker.Application.class),
      reg(312, JobSeeker.ResumeVersion.class),
      reg(313, JobSeeker.StrategyStep.class),
      reg(314, JobSeeker.StateV2.class), // the State shape before erasure: old snapshots, upcast by JobSeeker's snapshot adapter
      reg(315, JobSeeker.Preferences.class),

      // ---- 400–499 journey commands/replies ----
      reg(400, JobSeeker.Validate.class),
      reg(401, JobSeeker.Record.class),
      reg(402, JobSeeker.GetSummary.class),
      reg(403, JobSeeker.Problem.class),
      reg(404, JobSeeker.Result.class),
      reg(405, JobSeeker.Verdict.class),
      reg(406, JobSeeker.Summary.class),
      reg(407, JobSeeker.SetPreferences.class),
      reg(408, JobSeeker.GetPreferences.class),
      reg(409, JobSeeker.FireReminder.class),
      reg(410, JobSeeker.ReminderOutcome.class),
      reg(411, JobSeeker.SetProfile.class),
      reg(412, JobSeeker.ProfileStored.class),

      // ---- 500–599 experiment: values 500–509, commands/replies 510–529, events 530–549, state 550– ----
      reg(500, Experiment.Definition.class),
      reg(501, Experiment.Variant.class),
      reg(502, Experiment.Spec.class),
      reg(503, Experiment.HistoryEntry.class),
      reg(510, Experiment.Create.class),
      reg(511, Experiment.ChangeStatus.class),
      reg(512, Experiment.Get.class),
      reg(513, Experiment.Reply.class),
      reg(514, Experiment.Define.class),
      reg(530, Experiment.Created.class),
      reg(531, Experiment.StatusChanged.class),
      reg(532, Experiment.Defined.class),
      reg(550, Experiment.LegacyState.class), // the first State shape: old snapshots, upcast by Experiment's snapshot adapter
      reg(551, Experiment.StateV1.class), // the second State shape (released): old snapshots, upcast by the snapshot adapter
      // experiment allocation: ramps, weights, layers (exp-assign: 504–509, 515–522, 533–539, 552–559)
      reg(504, io.hireloop.experiment.Allocation.class),
      reg(505, io.hireloop.experiment.Allocation.Slice.class),
      reg(506, io.hireloop.experiment.Layer.Range.class),
      reg(515, Experiment.GetView.class),
      reg(516, Experiment.View.class),
      reg(517, Experiment.Ramp.class),
      reg(518, Experiment.ChangeAllocation.class),
      reg(519, Experiment.StartInLayer.class),
      reg(520, io.hireloop.experiment.Layer.Do.class),
      reg(521, io.hireloop.experiment.Layer.Reply.class),
      reg(522, JobSeeker.Expose.class),      // the assignment path's ask (exp-assign's range)
      reg(507, JobSeeker.Exposure.class),
      reg(533, Experiment.Ramped.class),
      reg(534, Experiment.AllocationChanged.class),
      reg(535, Experiment.LayerAssigned.class),
      reg(536, io.hireloop.experiment.Layer.HoldoutSet.class),
      reg(537, io.hireloop.experiment.Layer.Reserved.class),
      reg(538, io.hireloop.experiment.Layer.Released.class),
      reg(552, Experiment.StateV3.class), // the third State shape (released): old snapshots, upcast by the snapshot adapter
      reg(553, io.hireloop.experiment.Layer.State.class),
      // ramp schedules (ramp: 509, 529, 545–547, 557–559, 562–564); 552 above is now Experiment.StateV3 (the released State shape)
      reg(509, io.hireloop.experiment.RampSchedule.class),
      reg(562, io.hireloop.experiment.RampSchedule.Step.class),
      reg(529, Experiment.DefineScheduled.class),
      reg(563, Experiment.GetRamp.class),
      reg(564, Experiment.RampView.class),
      reg(546, Experiment.AdvanceRamp.class),
      reg(545, Experiment.RampScheduleSet.class),
      reg(557, Experiment.State.class), // the fourth State shape (+ rampSchedule)
      // experiment rollouts (exp-analysis): commands/replies 523–529, events 540–549, data 560–569
      reg(523, ExperimentRollout.RecordStage.class),
      reg(524, ExperimentRollout.RecordRollback.class),
      reg(525, ExperimentRollout.Get.class),
      reg(526, ExperimentRollout.Reply.class),
      reg(527, io.hireloop.experiment.ExperimentMonitor.Changed.class),
      reg(540, ExperimentRollout.StageApplied.class),
      reg(541, ExperimentRollout.RolledBack.class),
      reg(560, ExperimentRollout.State.class),
      reg(561, ExperimentRollout.Entry.class),

      // ---- 600–699 learning (600–649) and config (650–699) ----
      reg(600, ModelRegistry.ModelVersion.class),
      // 601, 602: the first Register/Registered shapes (retired with the card registry; never reuse)
      reg(603, ModelRegistry.GetLatest.class),
      reg(604, ModelRegistry.Latest.class),
      reg(610, ModelRegistry.VersionRegistered.class), // the first event shape: replayed as a card and the champion
      reg(611, ModelRegistry.VersionRegisteredV2.class),
      reg(612, ModelRegistry.AliasMoved.class),
      reg(620, ModelRegistry.StateV1.class), // the first State shape: old snapshots, upcast by the snapshot adapter
      reg(621, ModelRegistry.State.class), // cards as JSON, aliases, previous champions
      // model registry commands/replies with cards and aliases (640–649, 605–606)
      reg(640, ModelRegistry.Register.class),
      reg(641, ModelRegistry.Registered.class),
      reg(642, ModelRegistry.Gate.class),
      reg(643, ModelRegistry.Promote.class),
      reg(644, ModelRegistry.Rollback.class),
      reg(645, ModelRegistry.AliasChange.class),
      reg(646, ModelRegistry.GetVersions.class),
      reg(647, ModelRegistry.Versions.class),
      reg(648, ModelRegistry.GetVersion.class),
      reg(649, ModelRegistry.VersionDetail.class),
      reg(605, ModelRegistry.GetChampion.class),
      reg(607, ModelRegistry.RecordRevision.class),
      reg(617, ModelRegistry.RevisionRecorded.class),
      reg(606, ModelRegistry.Champion.class),
      // model monitor (613–619): labelled rows from projection instances on any node, the report for the route
      reg(613, io.hireloop.learning.monitoring.ModelMonitor.LabelsObserved.class),
      reg(614, io.hireloop.learning.monitoring.ModelMonitor.Labelled.class),
      reg(615, io.hireloop.learning.monitoring.ModelMonitor.GetReport.class),
      reg(616, io.hireloop.learning.monitoring.ModelMonitor.MonitoringReport.class),
      reg(630, LearningCoordinator.LabelsArrived.class),
      reg(631, LearningCoordinator.Train.class),
      reg(632, LearningCoordinator.TrainingAccepted.class),
      reg(633, LearningCoordinator.GetStatus.class),
      reg(634, LearningCoordinator.Status.class),
      reg(650, ConfigChannel.ConfigVersion.class),
      // 651: ConfigChannel.Propose (the confidence-bar proposal, retired: learned changes go through recommendations; never reuse)
      reg(652, ConfigChannel.Proposed.class),
      reg(653, ConfigChannel.Get.class),
      reg(654, ConfigChannel.Current.class),
      reg(655, ConfigChannel.ApplyFromExperiment.class),
      reg(656, ConfigChannel.Restore.class),
      reg(657, ConfigChannel.ApplyFromExperimentOnce.class), // rollout-fix: keyed (idempotent) config writes
      reg(658, ConfigChannel.RestoreOnce.class),
      reg(664, ConfigChannel.RestoreBefore.class), // monitor: undo the config a rolled-back model derived
      reg(660, ConfigChannel.Applied.class),
      reg(661, ConfigChannel.ProposalPending.class),
      reg(662, ConfigChannel.AppliedOnce.class),
      reg(663, ConfigChannel.StateV2.class), // the second State shape (with appliedKeys); 670 is the first (StateV1)
      reg(670, ConfigChannel.StateV1.class),
      // config history, provenance and rollback (680–699)
      reg(680, ConfigChannel.Version.class),
      reg(681, ConfigChannel.Written.class),
      reg(682, ConfigChannel.State.class), // the third State shape: versions with provenance
      reg(683, ConfigChannel.GetHistory.class),
      reg(684, ConfigChannel.History.class),
      reg(685, ConfigChannel.ApplyChange.class),
      reg(686, ConfigChannel.Rollback.class),
      reg(687, ConfigChannel.Change.class),
      reg(688, ConfigChannel.Refusal.class),
      reg(689, io.hireloop.config.Provenance.class),

      // ---- 700–799 stream ----
      reg(700, StreamMessage.class),

      // ---- 800–829 recommendations: values 800–811, commands/replies 812–822, events 823–826, state 827 ----
      reg(800, io.hireloop.recommendations.Recommendation.class),
      reg(801, io.hireloop.recommendations.Recommendation.Kind.class),
      reg(802, io.hireloop.recommendations.Recommendation.CausalConfidence.class),
      reg(803, io.hireloop.recommendations.Recommendation.Risk.class),
      reg(804, io.hireloop.recommendations.Recommendation.Route.class),
      reg(805, io.hireloop.recommendations.Recommendation.Status.class),
      reg(806, io.hireloop.recommendations.Recommendation.Evidence.class),
      reg(807, io.hireloop.recommendations.Recommendation.ModelEvidence.class),
      reg(808, io.hireloop.recommendations.Recommendation.Impact.class),
      reg(809, io.hireloop.recommendations.Recommendation.ConfigChange.class),
      reg(810, io.hireloop.recommendations.Recommendation.Step.class),
      reg(811, io.hireloop.recommendations.RecommendationDraft.class),
      reg(812, io.hireloop.recommendations.RecommendationBook.Submit.class),
      reg(813, io.hireloop.recommendations.RecommendationBook.Submitted.class),
      reg(814, io.hireloop.recommendations.RecommendationBook.Approve.class),
      reg(815, io.hireloop.recommendations.RecommendationBook.Reject.class),
      reg(816, io.hireloop.recommendations.RecommendationBook.Report.class),
      reg(817, io.hireloop.recommendations.RecommendationBook.Progress.class),
      reg(818, io.hireloop.recommendations.RecommendationBook.Get.class),
      reg(819, io.hireloop.recommendations.RecommendationBook.ListAll.class),
      reg(820, io.hireloop.recommendations.RecommendationBook.Listing.class),
      reg(821, io.hireloop.recommendations.RecommendationBook.Refusal.class),
      reg(822, io.hireloop.recommendations.RecommendationBook.Outcome.class),
      reg(823, io.hireloop.recommendations.RecommendationBook.RecommendationSubmitted.class),
      reg(824, io.hireloop.recommendations.RecommendationBook.RecommendationApproved.class),
      reg(825, io.hireloop.recommendations.RecommendationBook.RecommendationRejected.class),
      reg(826, io.hireloop.recommendations.RecommendationBook.Progressed.class),
      reg(827, io.hireloop.recommendations.RecommendationBook.State.class),

      // ---- 830–849 attribution ----
      reg(830, io.hireloop.learning.attribution.AttributionService.Run.class),
      reg(831, io.hireloop.learning.attribution.AttributionService.RunAccepted.class),
      // 832, 833: AttributionService.GetStatus / Status (never asked for, removed before any release; never reuse)
      // ---- 1000–1029 privacy: erasure and what is stored sealed with a user's data key ----
      reg(1000, JobSeeker.State.class),
      reg(1001, JourneyEvent.UserErased.class),
      reg(1002, JourneyEvent.Shredded.class), // never stored; registered so a tombstone can cross nodes in a reply
      reg(1003, io.hireloop.privacy.Sealing.SealedEvent.class),
      reg(1004, io.hireloop.privacy.Sealing.SealedSnapshot.class),
      reg(1005, JobSeeker.Erase.class),
      reg(1006, JobSeeker.Erased.class),
      reg(1007, io.hireloop.privacy.ErasureRunner.Run.class)
  );

  /** A configured Kryo with every row of {@link #TABLE}; not thread-safe (pool it). */
  public static Kryo newKryo(ActorRefKryoSerializer actorRefs) {
    return newKryo(actorRefs, List.of());
  }

  /** {@code testOnly}: rows from {@code hireloop.serialization.kryo.test-registrations}, ids 900–999 only. */
  static Kryo newKryo(ActorRefKryoSerializer actorRefs, List<Entry> testOnly) {
    Kryo k = new HireloopKryo();
    k.setRegistrationRequired(true);
    // Part of the wire format: changing either setting breaks every stored event.
    k.setReferences(false);
    k.setCopyReferences(false);
    register(k, actorRefs);
    for (Entry e : testOnly) {
      if (e.id() < TEST_IDS_FROM || e.id() > TEST_IDS_TO) {
        throw new IllegalArgumentException("test registration " + e.type().getName() + " = " + e.id()
            + ": test-only ids must be in " + TEST_IDS_FROM + "–" + TEST_IDS_TO + "; real classes go in KryoRegistrations.TABLE");
      }
      k.register(e.type(), e.id());
    }
    return k;
  }

  public static void register(Kryo k, ActorRefKryoSerializer actorRefs) {
    for (Entry e : TABLE) {
      if (e.serializer() == null) {
        k.register(e.type(), e.id());
      } else {
        k.register(e.type(), e.serializer().apply(actorRefs), e.id());
      }
    }
  }

  /**
   * Writes every typed ActorRef implementation (ActorRefAdapter, and whatever Pekko hands out for asks,
   * adapters or remote refs) under the ActorRef id, so Pekko's internal class names never reach the wire;
   * and names the table when a class is missing.
   */
  static final class HireloopKryo extends Kryo {
    @Override
    public Registration getRegistration(Class type) {
      if (type != org.apache.pekko.actor.typed.ActorRef.class
          && org.apache.pekko.actor.typed.ActorRef.class.isAssignableFrom(type)) {
        return super.getRegistration(org.apache.pekko.actor.typed.ActorRef.class);
      }
      return super.getRegistration(type);
    }

    @Override
    protected String unregisteredClassMessage(Class type) {
      return "Class is not registered for Kryo: " + (type == null ? "null" : type.getName())
          + ". Add it with a free id in its range to the TABLE in "
          + KryoRegistrations.class.getName()
          + " (one line: reg(<id>, " + (type == null ? "?" : type.getCanonicalName()) + ".class),)"
          + " and add a golden sample if it is persisted.";
    }
  }
}
