package io.hireloop.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/**
 * The rerank study on a small planted population (the command's defaults are larger): the model's order raises the
 * simulated interview rate of the top 10 over the incoming order (paired interval above 0), the serving policy keeps
 * most of that gain while its top 10 is more diverse, and the off-policy estimates of the model's order from the
 * serving policy's log hold its on-policy simulated value.
 */
class RerankStudyTest {
  @Test
  void rerankingByTheModelRaisesTheTopTenInterviewRateAndTheOffPolicyEstimateAgrees() {
    var r = RerankStudy.study(new RerankStudy.Settings(6_000, 400, 100, 10, 0.3, 0.1, 7), new PrintStream(OutputStream.nullOutputStream()));
    var incoming = r.value(RerankStudy.INCOMING);
    var model = r.value(RerankStudy.MODEL);
    var serving = r.value(RerankStudy.SERVING);
    var truth = r.value(RerankStudy.TRUTH);
    var gain = r.difference("model_order − incoming_order");
    assertTrue(gain.low() > 0, "the model's top 10 must beat the incoming order's: " + gain);
    assertTrue(model.expected() > incoming.expected() * 1.2, "expected rates " + model + " vs " + incoming);
    assertTrue(r.difference("serving − incoming_order").low() > 0, "the serving policy still beats the incoming order: " + r.differences());
    assertTrue(truth.expected() >= model.expected(), "nothing beats ranking by the truth: " + truth + " vs " + model);
    assertTrue(serving.topEntropyBits() > model.topEntropyBits(), "MMR and exploration widen the top 10: " + serving + " vs " + model);
    var e = r.offPolicy().estimates();
    for (var est : java.util.List.of(e.snips(), e.doublyRobust())) {
      // the on-policy value is itself a draw (se ≈ 0.01 here): the interval must hold it within that noise
      double slack = 2 * r.offPolicy().onPolicySimulatedSe();
      assertTrue(est.low() - slack <= r.offPolicy().onPolicySimulated() && r.offPolicy().onPolicySimulated() <= est.high() + slack,
          "on-policy " + r.offPolicy().onPolicySimulated() + " vs off-policy " + est);
      assertTrue(est.low() <= r.offPolicy().expected() && r.offPolicy().expected() <= est.high(),
          "the model order's expected value " + r.offPolicy().expected() + " outside " + est);
    }
  }
}
