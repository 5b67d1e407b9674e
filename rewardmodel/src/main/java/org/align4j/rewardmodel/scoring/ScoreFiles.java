package org.align4j.rewardmodel.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.align4j.core.io.AtomicFiles;

/**
 * Writes scores as JSONL, atomically, one object a line. Scored pairs form a reward file that
 * {@code RewardFiles} (and so {@code calibrate}) reads as it is: {@code id, subset, rm, rm_id, length_unit,
 * chosen_reward, rejected_reward, chosen_length, rejected_length, chosen_text_length, rejected_text_length} (lengths
 * in the chosen unit, text lengths with the prompt) and both units' response lengths {@code chosen_tokens,
 * rejected_tokens, chosen_chars, rejected_chars}. Scored responses: {@code id, rm, rm_id, length_unit, reward,
 * length, text_length, tokens, chars}.
 */
public final class ScoreFiles {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ScoreFiles() {}

  /**
   * Whether {@code file}'s name marks JSONL ({@code .jsonl}, {@code .ndjson} or {@code .json}), the only form
   * written.
   */
  public static boolean isJsonl(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json");
  }

  /** Writes scored pairs as a reward file with lengths in {@code unit}. */
  public static void writePairs(Path file, List<ScoredPair> pairs, LengthUnit unit) {
    check(file, unit);
    write(file, pairs.stream().map(p -> {
      ObjectNode n = MAPPER.createObjectNode();
      n.put("id", p.id());
      n.put("subset", p.subset());
      n.put("rm", p.rm());
      n.put("rm_id", p.rmId());
      n.put("length_unit", unit.id());
      n.put("chosen_reward", p.chosenReward());
      n.put("rejected_reward", p.rejectedReward());
      n.put("chosen_length", p.chosenLength().in(unit));
      n.put("rejected_length", p.rejectedLength().in(unit));
      n.put("chosen_text_length", p.chosenLength().textIn(unit));
      n.put("rejected_text_length", p.rejectedLength().textIn(unit));
      n.put("chosen_tokens", p.chosenLength().tokens());
      n.put("rejected_tokens", p.rejectedLength().tokens());
      n.put("chosen_chars", p.chosenLength().chars());
      n.put("rejected_chars", p.rejectedLength().chars());
      return n;
    }).toList());
  }

  /** Writes scored responses with lengths in {@code unit}. */
  public static void writeResponses(Path file, List<ScoredResponse> responses, LengthUnit unit) {
    check(file, unit);
    write(file, responses.stream().map(r -> {
      ObjectNode n = MAPPER.createObjectNode();
      n.put("id", r.id());
      n.put("rm", r.rm());
      n.put("rm_id", r.rmId());
      n.put("length_unit", unit.id());
      n.put("reward", r.reward());
      n.put("length", r.length().in(unit));
      n.put("text_length", r.length().textIn(unit));
      n.put("tokens", r.length().tokens());
      n.put("chars", r.length().chars());
      return n;
    }).toList());
  }

  private static void check(Path file, LengthUnit unit) {
    Objects.requireNonNull(unit, "unit");
    if (!isJsonl(file)) {
      throw new IllegalArgumentException("a score file is JSONL: its name must end in .jsonl, got " + file);
    }
  }

  private static void write(Path file, List<ObjectNode> rows) {
    AtomicFiles.write(file, out -> {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      for (ObjectNode row : rows) {
        w.write(MAPPER.writeValueAsString(row));
        w.write('\n');
      }
      w.flush();
    });
  }
}
