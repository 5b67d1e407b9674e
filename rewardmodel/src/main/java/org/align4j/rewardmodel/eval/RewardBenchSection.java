package org.align4j.rewardmodel.eval;

/** The four sections of RewardBench v1. */
public enum RewardBenchSection {
  /** Chat: AlpacaEval and MT-Bench easy/medium pairs. */
  CHAT("chat", "Chat"),
  /** Chat Hard: MT-Bench hard and LLMBar pairs. */
  CHAT_HARD("chat_hard", "Chat Hard"),
  /** Safety: refusals, XSTest and Do-Not-Answer pairs. */
  SAFETY("safety", "Safety"),
  /** Reasoning: PRM math and HumanEvalPack code pairs. */
  REASONING("reasoning", "Reasoning");

  private final String id;
  private final String title;

  RewardBenchSection(String id, String title) {
    this.id = id;
    this.title = title;
  }

  /** The short name, e.g. {@code "chat_hard"}. */
  public String id() {
    return id;
  }

  /** The display name, e.g. {@code "Chat Hard"}. */
  public String title() {
    return title;
  }
}
