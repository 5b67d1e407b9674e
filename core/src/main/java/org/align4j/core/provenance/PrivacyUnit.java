package org.align4j.core.provenance;

import java.util.Locale;

/**
 * What one record of a private stage's data is: what its differential-privacy guarantee protects. The ledger
 * composes the stages whose data have the same fingerprint sequentially, whatever their units: one record of that
 * data (an example, or a prompt with every response generated for it) is covered by each of them.
 */
public enum PrivacyUnit {

  /** One example of the data set (a text, a prompt and completion, a preference pair). */
  EXAMPLE,

  /** One prompt, with every response sampled for it (PPO's rollouts). */
  PROMPT;

  /** The lower-case name used in JSON. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #jsonName()}. */
  public static PrivacyUnit fromJsonName(String name) {
    for (PrivacyUnit u : values()) {
      if (u.jsonName().equals(name)) {
        return u;
      }
    }
    throw new IllegalArgumentException("unknown privacy unit \"" + name + "\" (expected example or prompt)");
  }
}
