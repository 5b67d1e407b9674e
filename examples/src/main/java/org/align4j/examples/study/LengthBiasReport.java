package org.align4j.examples.study;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.io.RecordJson;

/** The length-bias study's outputs: {@code study.json} (the result as it is), {@code study.html} and the table. */
public final class LengthBiasReport {

  /** Paths as the text given (not as URIs), so that they read back as written. */
  private static final SimpleModule PATHS = new SimpleModule()
      .addSerializer(Path.class, ToStringSerializer.instance)
      .addDeserializer(Path.class, new StdDeserializer<Path>(Path.class) {
        @Override
        public Path deserialize(JsonParser p, DeserializationContext context) throws IOException {
          return Path.of(p.getValueAsString());
        }
      });
  private static final ObjectMapper JSON = RecordJson.mapperBuilder().addModule(PATHS).build();
  private static final ObjectMapper PRETTY = RecordJson.mapperBuilder().addModule(PATHS)
      .enable(SerializationFeature.INDENT_OUTPUT).build();

  private LengthBiasReport() {}

  /** Writes {@code study.json} and {@code study.html} atomically; returns {@code r}. */
  static LengthBiasResult write(LengthBiasResult r) {
    AtomicFiles.writeString(r.json(), toJson(r, true));
    AtomicFiles.writeString(r.html(), LengthBiasPage.html(r));
    return r;
  }

  /** The result as one JSON object. */
  public static String toJson(LengthBiasResult r, boolean pretty) {
    return RecordJson.write(pretty ? PRETTY : JSON, r);
  }

  /**
   * Reads a {@code study.json} back.
   *
   * @throws org.align4j.core.data.DataFormatException naming the file when it is not this study's result
   */
  public static LengthBiasResult read(Path json) {
    return RecordJson.read(JSON, json, LengthBiasResult.class, "a length-bias study result");
  }

  /** The table: the labels and reward model, then one row per policy, then the rankings. */
  public static String table(LengthBiasResult r) {
    StringBuilder s = new StringBuilder();
    LengthBiasRewardModel m = r.rewardModel();
    s.append(r.gold()).append('\n').append(r.labeller()).append('\n');
    s.append(String.format(Locale.ROOT, "labels: %.3f agree with the gold reward, %.3f chose the longer response%n",
        m.labelGoldAgreement(), m.labelLongerChosen()));
    s.append(String.format(Locale.ROOT, "reward model on held-out pairs (%d responses): gold accuracy raw %.3f, "
        + "calibrated %.3f | Spearman with length raw %.3f, calibrated %.3f%n", m.calibrationPoints(),
        m.rawGoldAccuracy(), m.calibratedGoldAccuracy(), m.rawLengthSpearman(), m.calibratedLengthSpearman()));
    s.append(String.format(Locale.ROOT, "%-15s %6s %7s %7s %8s %8s %7s %7s %6s %8s%n", "policy", "pairs", "length",
        "gold", "raw rm", "cal rm", "win", "lc win", "first", "last len"));
    for (LengthBiasPolicy p : r.policies()) {
      s.append(String.format(Locale.ROOT, "%-15s %6d %7.2f %7.3f %8.3f %8.3f %7.3f %7.3f %6.2f %8.2f%n", p.name(),
          p.pairs(), p.meanLength(), p.meanGold(), p.meanRawReward(), p.meanCalibratedReward(), p.winRate(),
          p.lcWinRate(), p.lengthCurve().get(0), p.lengthCurve().get(p.lengthCurve().size() - 1)));
    }
    s.append("(length: held-out mean in characters; win and lc win: against the SFT model by the gold reward; "
        + "first/last len: the length curve's ends, PPO rollouts in tokens)\n");
    s.append(String.format(Locale.ROOT, "ranking of the %d policies against the gold reward (Spearman): raw reward "
        + "%.3f, calibrated reward %.3f%n", r.rankingPolicies(), r.rawRankingSpearman(),
        r.calibratedRankingSpearman()));
    s.append("stage times: ").append(String.join(", ", r.timings().stream()
        .map(t -> String.format(Locale.ROOT, "%s %.1f s", t.stage(), t.seconds())).toList())).append('\n');
    s.append("report: ").append(r.html()).append(" and ").append(r.json()).append('\n');
    return s.toString();
  }
}
