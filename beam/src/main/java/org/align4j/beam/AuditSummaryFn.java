package org.align4j.beam;

import java.io.Serializable;
import java.math.BigInteger;
import org.align4j.memorization.AuditConfig;
import org.align4j.memorization.AuditOutcome;
import org.align4j.memorization.SummaryAccumulator;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/** Combines per-example audits into the summary through {@link SummaryAccumulator}'s exact merge. */
final class AuditSummaryFn extends CombineFn<ExampleAudit, AuditSummaryFn.State, AuditSummary> {

  private static final long serialVersionUID = 1L;
  private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);
  private final AuditConfig config;
  private final boolean hasControl;
  private final long exactScoreLimit;

  /** The accumulator: the summary's counts and the sum of the examples' hashes. */
  static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final SummaryAccumulator summary;
    BigInteger hashSum = BigInteger.ZERO;

    State(SummaryAccumulator summary) {
      this.summary = summary;
    }
  }

  AuditSummaryFn(AuditConfig config, boolean hasControl, long exactScoreLimit) {
    this.config = config;
    this.hasControl = hasControl;
    this.exactScoreLimit = exactScoreLimit;
  }

  @Override
  public State createAccumulator() {
    return new State(new SummaryAccumulator(config, hasControl, exactScoreLimit));
  }

  @Override
  public State addInput(State state, ExampleAudit audit) {
    state.summary.add(new AuditOutcome(audit.finding(), audit.generatedTokens()));
    state.hashSum = state.hashSum.add(new BigInteger(audit.sha256(), 16)).mod(MODULUS);
    return state;
  }

  @Override
  public State mergeAccumulators(Iterable<State> states) {
    State merged = createAccumulator();
    for (State s : states) {
      merged.summary.merge(s.summary);
      merged.hashSum = merged.hashSum.add(s.hashSum).mod(MODULUS);
    }
    return merged;
  }

  @Override
  public AuditSummary extractOutput(State state) {
    return new AuditSummary(state.summary.build(), state.summary.aucErrorBounds(),
        String.format("%064x", state.hashSum));
  }

  @Override
  public Coder<State> getAccumulatorCoder(CoderRegistry registry, Coder<ExampleAudit> inputCoder) {
    return SerializableCoder.of(State.class);
  }

  @Override
  public Coder<AuditSummary> getDefaultOutputCoder(CoderRegistry registry, Coder<ExampleAudit> inputCoder) {
    return JsonCoder.of(AuditSummary.class);
  }
}
