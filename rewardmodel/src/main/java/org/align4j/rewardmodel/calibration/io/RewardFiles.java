package org.align4j.rewardmodel.calibration.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.align4j.core.data.DataFormatException;
import org.align4j.core.data.TextLines;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.util.Args;
import org.align4j.rewardmodel.calibration.RewardPairs;

/**
 * Reads and writes reward files: one scored preference pair per CSV row or JSONL object, with
 * {@code chosen_reward, rejected_reward, chosen_length, rejected_length} (the responses' lengths) and optional
 * {@code id}, {@code subset}, {@code chosen_text_length, rejected_text_length} (prompt plus response, for the length
 * penalty), {@code rm} (the reward model, when a file holds several), {@code rm_id} (the reward model's
 * fingerprint) and {@code length_unit} (what the lengths count, e.g. {@code tokens}): the last two are written by
 * {@code align4j score} and recorded in a calibration fitted on the file. Other columns are ignored. The reference
 * data's names are accepted too: {@code chosen_len, rejected_len, chosen_text_len, rejected_text_len}. Files ending
 * in {@code .jsonl}, {@code .ndjson} or {@code .json} are JSONL, others CSV with a header line. Errors name the
 * file, the line and the column.
 */
public final class RewardFiles {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private enum Column {
    CHOSEN_REWARD(true, "chosen_reward"),
    REJECTED_REWARD(true, "rejected_reward"),
    CHOSEN_LENGTH(true, "chosen_length", "chosen_len"),
    REJECTED_LENGTH(true, "rejected_length", "rejected_len"),
    CHOSEN_TEXT_LENGTH(false, "chosen_text_length", "chosen_text_len"),
    REJECTED_TEXT_LENGTH(false, "rejected_text_length", "rejected_text_len"),
    ID(false, "id"),
    SUBSET(false, "subset"),
    RM(false, "rm"),
    RM_ID(false, "rm_id"),
    LENGTH_UNIT(false, "length_unit");

    final boolean required;
    final String[] names;

    Column(boolean required, String... names) {
      this.required = required;
      this.names = names;
    }
  }

  private RewardFiles() {}

  /**
   * Reads a reward file holding one reward model (or several, with an {@code rm} column: then {@code rm} chooses
   * one; it may be null when the file holds only one).
   *
   * @throws DataFormatException naming the file, line and column of malformed input (invalid UTF-8 included),
   *     missing columns, or a missing or unknown reward-model choice
   * @throws UncheckedIOException when the file cannot be read
   */
  public static RewardPairs read(Path file, String rm) {
    return readFile(file, rm).pairs();
  }

  /**
   * Reads a reward file as {@link #read} does, with what it says of its source: the chosen reward model's name,
   * fingerprint and length unit (each empty when the file does not say).
   *
   * @throws DataFormatException as {@link #read} does, and when the chosen model's rows disagree on
   *     {@code rm_id} or {@code length_unit}
   */
  public static RewardFile readFile(Path file, String rm) {
    return rows(file).toFile(rm);
  }

  /** The reward models of a file in the order they first appear ({@code rm} column), or one empty name if none. */
  public static List<String> rewardModels(Path file) {
    return List.copyOf(new LinkedHashSet<>(rows(file).rms));
  }

  private static Rows rows(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean jsonl = name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json");
    Iterator<String> lines = TextLines.read(file).iterator();
    Rows rows = new Rows(file.toString());
    if (jsonl) {
      readJsonl(lines, rows);
    } else {
      readCsv(lines, rows);
    }
    return rows;
  }

  /**
   * Writes calibrated pairs as CSV, atomically: {@code id, subset, chosen_length, rejected_length}, the text lengths
   * when present, the calibrated {@code chosen_reward, rejected_reward} and the raw
   * {@code chosen_reward_before, rejected_reward_before}. The output is itself a reward file.
   */
  public static void writeCalibrated(Path file, RewardPairs before, RewardPairs after) {
    Args.check(before.size() == after.size(), "before and after must hold the same pairs");
    AtomicFiles.write(file, out -> {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      boolean text = before.hasPenaltyFeature();
      w.write("id,subset,chosen_length,rejected_length"
          + (text ? ",chosen_text_length,rejected_text_length" : "")
          + ",chosen_reward,rejected_reward,chosen_reward_before,rejected_reward_before\n");
      double[] cl = before.chosenFeature();
      double[] rl = before.rejectedFeature();
      double[] ct = before.chosenPenaltyFeature();
      double[] rt = before.rejectedPenaltyFeature();
      double[] cb = before.chosenReward();
      double[] rb = before.rejectedReward();
      double[] ca = after.chosenReward();
      double[] ra = after.rejectedReward();
      for (int i = 0; i < before.size(); i++) {
        StringBuilder line = new StringBuilder();
        line.append(CsvLine.quote(before.ids().get(i))).append(',')
            .append(CsvLine.quote(before.subsets().get(i))).append(',')
            .append(number(cl[i])).append(',').append(number(rl[i]));
        if (text) {
          line.append(',').append(number(ct[i])).append(',').append(number(rt[i]));
        }
        line.append(',').append(ca[i]).append(',').append(ra[i])
            .append(',').append(cb[i]).append(',').append(rb[i]).append('\n');
        w.write(line.toString());
      }
      w.flush();
    });
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static void readCsv(Iterator<String> lines, Rows rows) {
    String header = lines.hasNext() ? lines.next() : null;
    if (header == null) {
      throw new DataFormatException(rows.source, "empty file (expected a CSV header line)");
    }
    if (header.startsWith("\uFEFF")) {
      header = header.substring(1);
    }
    List<String> names = splitOrFail(header, rows.source, 1);
    Map<Column, Integer> index = new LinkedHashMap<>();
    for (Column column : Column.values()) {
      for (String alias : column.names) {
        int at = indexOfTrimmed(names, alias);
        if (at >= 0) {
          index.put(column, at);
          break;
        }
      }
    }
    rows.checkColumns(index.keySet(), 1);
    long lineNumber = 1;
    while (lines.hasNext()) {
      String line = lines.next();
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      List<String> fields = splitOrFail(line, rows.source, lineNumber);
      if (fields.size() != names.size()) {
        throw new DataFormatException(rows.source, lineNumber,
            "expected " + names.size() + " columns, got " + fields.size());
      }
      Map<Column, String> values = new LinkedHashMap<>();
      for (Map.Entry<Column, Integer> e : index.entrySet()) {
        values.put(e.getKey(), fields.get(e.getValue()).trim());
      }
      rows.add(values, lineNumber, names, index);
    }
  }

  private static void readJsonl(Iterator<String> lines, Rows rows) {
    long lineNumber = 0;
    boolean checked = false;
    while (lines.hasNext()) {
      String line = lines.next();
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = MAPPER.readTree(line);
      } catch (JsonProcessingException e) {
        throw new DataFormatException(rows.source, lineNumber, "not JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw new DataFormatException(rows.source, lineNumber, "expected a JSON object");
      }
      Map<Column, String> values = new LinkedHashMap<>();
      for (Column column : Column.values()) {
        for (String alias : column.names) {
          JsonNode v = node.get(alias);
          if (v != null && !v.isNull()) {
            if (!column.required || v.isNumber()) {
              values.put(column, v.asText());
            } else if (v.isTextual()) {
              values.put(column, v.asText());
            } else {
              throw new DataFormatException(rows.source, lineNumber,
                  "column " + alias + ": expected a number, got " + v);
            }
            break;
          }
        }
      }
      if (!checked) {
        rows.checkColumns(values.keySet(), lineNumber);
        checked = true;
      }
      rows.add(values, lineNumber, null, null);
    }
    if (!checked) {
      throw new DataFormatException(rows.source, "empty file (expected JSON objects, one a line)");
    }
  }

  private static int indexOfTrimmed(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).trim().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> splitOrFail(String line, String source, long lineNumber) {
    try {
      return CsvLine.split(line);
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(source, lineNumber, e.getMessage());
    }
  }

  /** Rows as they are read, column by column. */
  private static final class Rows {
    final String source;
    final List<String> ids = new ArrayList<>();
    final List<String> subsets = new ArrayList<>();
    final List<String> rms = new ArrayList<>();
    final List<String> rmIds = new ArrayList<>();
    final List<String> units = new ArrayList<>();
    final List<Long> lineNumbers = new ArrayList<>();
    final List<double[]> numbers = new ArrayList<>();
    boolean text;
    boolean hasRm;

    Rows(String source) {
      this.source = source;
    }

    void checkColumns(Set<Column> present, long lineNumber) {
      List<String> missing = new ArrayList<>();
      for (Column column : Column.values()) {
        if (column.required && !present.contains(column)) {
          missing.add(String.join(" or ", column.names));
        }
      }
      if (!missing.isEmpty()) {
        throw new DataFormatException(source, lineNumber, "missing column(s): " + String.join(", ", missing));
      }
      boolean chosenText = present.contains(Column.CHOSEN_TEXT_LENGTH);
      if (chosenText != present.contains(Column.REJECTED_TEXT_LENGTH)) {
        throw new DataFormatException(source, lineNumber,
            "give both chosen_text_length and rejected_text_length, or neither");
      }
      text = chosenText;
      hasRm = present.contains(Column.RM);
    }

    void add(Map<Column, String> values, long lineNumber, List<String> names, Map<Column, Integer> index) {
      Column[] numeric = {Column.CHOSEN_REWARD, Column.REJECTED_REWARD, Column.CHOSEN_LENGTH,
          Column.REJECTED_LENGTH, Column.CHOSEN_TEXT_LENGTH, Column.REJECTED_TEXT_LENGTH};
      double[] row = new double[text ? 6 : 4];
      for (int c = 0; c < row.length; c++) {
        String label = names == null ? numeric[c].names[0] : names.get(index.get(numeric[c])).trim();
        String raw = values.get(numeric[c]);
        if (raw == null || raw.isEmpty()) {
          throw new DataFormatException(source, lineNumber, "column " + label + ": missing value");
        }
        double v;
        try {
          v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          throw new DataFormatException(source, lineNumber, "column " + label + ": not a number: \"" + raw + "\"");
        }
        if (!Double.isFinite(v)) {
          throw new DataFormatException(source, lineNumber, "column " + label + ": must be finite, got " + raw);
        }
        row[c] = v;
      }
      numbers.add(row);
      String id = values.get(Column.ID);
      ids.add(id == null ? Integer.toString(ids.size()) : id);
      String subset = values.get(Column.SUBSET);
      subsets.add(subset == null ? "" : subset);
      String rm = values.get(Column.RM);
      if (hasRm && (rm == null || rm.isEmpty())) {
        throw new DataFormatException(source, lineNumber, "column rm: missing value");
      }
      rms.add(rm == null ? "" : rm);
      String rmId = values.get(Column.RM_ID);
      rmIds.add(rmId == null ? "" : rmId);
      String unit = values.get(Column.LENGTH_UNIT);
      units.add(unit == null ? "" : unit);
      lineNumbers.add(lineNumber);
    }

    /** The value of {@code column} shared by the kept rows; a row that differs is an error naming its line. */
    private String shared(List<String> column, List<Integer> keep, String name) {
      String first = column.get(keep.get(0));
      for (int i : keep) {
        if (!column.get(i).equals(first)) {
          throw new DataFormatException(source, lineNumbers.get(i), "column " + name + ": \"" + column.get(i)
              + "\" differs from \"" + first + "\" of the reward model's first row");
        }
      }
      return first;
    }

    RewardFile toFile(String rm) {
      List<Integer> keep = new ArrayList<>();
      Set<String> models = new LinkedHashSet<>(rms);
      if (hasRm) {
        if (rm == null && models.size() > 1) {
          throw new DataFormatException(source,
              "the file holds several reward models (" + String.join(", ", models) + "): choose one");
        }
        String chosen = rm == null ? models.iterator().next() : rm;
        if (!models.contains(chosen)) {
          throw new DataFormatException(source,
              "no rows for reward model " + chosen + "; the file holds " + String.join(", ", models));
        }
        for (int i = 0; i < rms.size(); i++) {
          if (rms.get(i).equals(chosen)) {
            keep.add(i);
          }
        }
      } else {
        if (rm != null) {
          throw new DataFormatException(source, "a reward model (" + rm + ") was chosen but the file has no rm column");
        }
        for (int i = 0; i < rms.size(); i++) {
          keep.add(i);
        }
      }
      if (keep.isEmpty()) {
        throw new DataFormatException(source, "no pairs in the file");
      }
      int n = keep.size();
      double[][] columns = new double[text ? 6 : 4][n];
      List<String> keptIds = new ArrayList<>(n);
      List<String> keptSubsets = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        int i = keep.get(j);
        double[] row = numbers.get(i);
        for (int c = 0; c < columns.length; c++) {
          columns[c][j] = row[c];
        }
        keptIds.add(ids.get(i));
        keptSubsets.add(subsets.get(i));
      }
      RewardPairs pairs = new RewardPairs(keptIds, keptSubsets, columns[0], columns[1], columns[2], columns[3],
          text ? columns[4] : null, text ? columns[5] : null);
      return new RewardFile(pairs, rms.get(keep.get(0)), shared(rmIds, keep, "rm_id"),
          shared(units, keep, "length_unit"));
    }
  }
}
