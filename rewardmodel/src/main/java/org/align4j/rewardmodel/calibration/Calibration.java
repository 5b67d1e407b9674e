package org.align4j.rewardmodel.calibration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.align4j.core.data.DataFormatException;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.util.Args;

/**
 * A fitted reward calibration: an immutable value that says what it fitted (method, parameters, feature names,
 * number of points) and holds the fitted bias curve as knots {@code (x, bias)}, one per distinct feature value
 * seen in fitting, interpolated linearly for new values (constant beyond the ends). It saves to and loads from
 * JSON. Made by {@link Calibrator#fit}.
 *
 * <p>A response's calibrated reward is {@code r - penaltyCoef * penaltyFeature} (penalty methods) minus
 * {@code alpha * bias(feature)} (RC-LWR and RC-Mean). For RC-Mean the bias is applied only where the window held at
 * least {@code minCount} responses ({@link #covers}); on pairs ({@link #apply}) only when both responses are covered.
 */
public final class Calibration {

  private static final String FORMAT = "align4j-calibration";
  private static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Json json;

  private Calibration(Json json) {
    this.json = json;
  }

  static Builder builder(CalibrationMethod method) {
    return new Builder(method);
  }

  /** The method. */
  public CalibrationMethod method() {
    return CalibrationMethod.fromId(json.method);
  }

  /** The strength of the bias correction. */
  public double alpha() {
    return json.alpha;
  }

  /** The LOWESS fraction used in fitting (RC-LWR methods). */
  public double frac() {
    return json.frac;
  }

  /** The LOWESS robustifying iterations used in fitting (RC-LWR methods). */
  public int iterations() {
    return json.iterations;
  }

  /** The LOWESS interpolation distance used in fitting (RC-LWR methods). */
  public double delta() {
    return json.delta;
  }

  /** RC-Mean's window half-width over the mean within-pair feature difference. */
  public double windowRatio() {
    return json.windowRatio;
  }

  /** RC-Mean's fitted window half-width in feature units (0 for other methods). */
  public double windowHalfWidth() {
    return json.windowHalfWidth;
  }

  /** RC-Mean's minimum number of responses in a window. */
  public int minCount() {
    return json.minCount;
  }

  /** The length-penalty coefficient (used by the penalty methods). */
  public double penaltyCoef() {
    return json.penaltyCoef;
  }

  /** The name of the feature the bias curve is a function of. */
  public String featureName() {
    return json.featureName;
  }

  /** The name of the penalty feature, or null for methods without a penalty. */
  public String penaltyFeatureName() {
    return json.penaltyFeatureName;
  }

  /** What the calibration was fitted on, as {@link #withSource} recorded it ({@link CalibrationSource#UNKNOWN}). */
  public CalibrationSource source() {
    return json.source == null ? CalibrationSource.UNKNOWN : json.source;
  }

  /** This calibration naming what it was fitted on: the reward model and the unit of the lengths. */
  public Calibration withSource(CalibrationSource source) {
    Json copy = MAPPER.convertValue(json, Json.class);
    copy.source = Objects.requireNonNull(source, "source");
    return new Builder(copy).build();
  }

  /** The number of responses (2 per pair) the calibration was fitted on. */
  public int points() {
    return json.points;
  }

  /** The knots' feature values, ascending (empty for the plain length penalty). */
  public double[] knotX() {
    return json.knotX.clone();
  }

  /** The fitted bias at each knot. */
  public double[] knotBias() {
    return json.knotBias.clone();
  }

  /** For RC-Mean, the number of responses in the window at each knot; empty for the other methods. */
  public int[] knotSupport() {
    return json.knotSupport.clone();
  }

  /** The fitted bias at {@code feature} (0 for the plain length penalty). */
  public double bias(double feature) {
    if (json.knotX.length == 0) {
      return 0.0;
    }
    return Interpolation.linear(json.knotX, json.knotBias, feature);
  }

  /**
   * Whether the bias applies at {@code feature}: always, except for RC-Mean, where a knot must have held at least
   * {@code minCount} responses (between knots: both neighbours; beyond the ends: the end knot).
   */
  public boolean covers(double feature) {
    if (method() != CalibrationMethod.MEAN) {
      return true;
    }
    double[] xs = json.knotX;
    int[] support = json.knotSupport;
    int n = xs.length;
    if (feature <= xs[0]) {
      return support[0] >= json.minCount;
    }
    if (feature >= xs[n - 1]) {
      return support[n - 1] >= json.minCount;
    }
    int i = Arrays.binarySearch(xs, feature);
    if (i >= 0) {
      return support[i] >= json.minCount;
    }
    int hi = -i - 1;
    return support[hi] >= json.minCount && support[hi - 1] >= json.minCount;
  }

  /**
   * The calibrated reward of one response.
   *
   * @param reward the raw reward
   * @param feature the response's feature value
   * @param penaltyFeature the response's penalty feature value (ignored by methods without a penalty)
   */
  public double calibrate(double reward, double feature, double penaltyFeature) {
    CalibrationMethod method = method();
    double r = reward;
    if (method.usesPenalty()) {
      r -= json.penaltyCoef * penaltyFeature;
    }
    if (method != CalibrationMethod.PENALTY && covers(feature)) {
      r -= json.alpha * bias(feature);
    }
    return r;
  }

  /**
   * Calibrates scored pairs; for RC-Mean a pair is calibrated only when both of its responses are covered.
   *
   * @throws IllegalArgumentException when the method needs a penalty feature and the pairs have none
   */
  public RewardPairs apply(RewardPairs pairs) {
    CalibrationMethod method = method();
    Args.check(!method.usesPenalty() || pairs.hasPenaltyFeature(),
        "method %s needs the penalty feature (%s) of each response", method.id(), json.penaltyFeatureName);
    double[] chosen = pairs.chosenReward();
    double[] rejected = pairs.rejectedReward();
    double[] chosenFeature = pairs.chosenFeature();
    double[] rejectedFeature = pairs.rejectedFeature();
    double[] chosenPenalty = pairs.chosenPenaltyFeature();
    double[] rejectedPenalty = pairs.rejectedPenaltyFeature();
    for (int i = 0; i < chosen.length; i++) {
      if (method.usesPenalty()) {
        chosen[i] -= json.penaltyCoef * chosenPenalty[i];
        rejected[i] -= json.penaltyCoef * rejectedPenalty[i];
      }
      if (method == CalibrationMethod.PENALTY
          || (method == CalibrationMethod.MEAN && !(covers(chosenFeature[i]) && covers(rejectedFeature[i])))) {
        continue;
      }
      chosen[i] -= json.alpha * bias(chosenFeature[i]);
      rejected[i] -= json.alpha * bias(rejectedFeature[i]);
    }
    return pairs.withRewards(chosen, rejected);
  }

  /** This calibration as a JSON object. */
  public String toJson() {
    try {
      return MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a calibration from JSON.
   *
   * @throws IllegalArgumentException when the text is not a valid calibration
   */
  public static Calibration fromJson(String text) {
    return fromJson(text, "calibration JSON");
  }

  /** Writes this calibration as JSON to {@code file}, atomically. */
  public void save(Path file) {
    AtomicFiles.writeString(file, toJson());
  }

  /**
   * Loads a calibration saved by {@link #save}.
   *
   * @throws DataFormatException naming the file when its content is not a valid calibration
   */
  public static Calibration load(Path file) {
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Calibration fromJson(String text, String source) {
    Json json;
    try {
      json = MAPPER.readValue(text, Json.class);
    } catch (JsonProcessingException e) {
      throw new DataFormatException(source, "not a calibration: " + e.getOriginalMessage());
    }
    try {
      return new Builder(json).build();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new DataFormatException(source, "invalid calibration: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Calibration c && toJson().equals(c.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "Calibration{method=" + json.method + ", feature=" + json.featureName + ", points=" + json.points
        + ", knots=" + json.knotX.length + ", alpha=" + json.alpha + "}";
  }

  /** The JSON form, and the state of a calibration. Public fields for Jackson only. */
  static final class Json {
    public String format = FORMAT;
    public int version = VERSION;
    public String method;
    public double alpha;
    public double frac;
    public int iterations;
    public double delta;
    public double windowRatio;
    public double windowHalfWidth;
    public int minCount;
    public double penaltyCoef;
    public String featureName;
    public String penaltyFeatureName;
    public int points;
    public double[] knotX;
    public double[] knotBias;
    public int[] knotSupport;
    public CalibrationSource source;
  }

  /** Assembles and validates a calibration. */
  static final class Builder {
    private final Json json;

    private Builder(CalibrationMethod method) {
      json = new Json();
      json.method = method.id();
    }

    private Builder(Json json) {
      this.json = json;
    }

    Builder alpha(double alpha) {
      json.alpha = alpha;
      return this;
    }

    Builder lowess(double frac, int iterations, double delta) {
      json.frac = frac;
      json.iterations = iterations;
      json.delta = delta;
      return this;
    }

    Builder windowRatio(double windowRatio) {
      json.windowRatio = windowRatio;
      return this;
    }

    Builder windowHalfWidth(double windowHalfWidth) {
      json.windowHalfWidth = windowHalfWidth;
      return this;
    }

    Builder minCount(int minCount) {
      json.minCount = minCount;
      return this;
    }

    Builder penaltyCoef(double penaltyCoef) {
      json.penaltyCoef = penaltyCoef;
      return this;
    }

    Builder featureName(String name) {
      json.featureName = name;
      return this;
    }

    Builder penaltyFeatureName(String name) {
      json.penaltyFeatureName = name;
      return this;
    }

    Builder points(int points) {
      json.points = points;
      return this;
    }

    Builder knots(double[] x, double[] bias, int[] support) {
      json.knotX = x;
      json.knotBias = bias;
      json.knotSupport = support;
      return this;
    }

    Calibration build() {
      Args.check(FORMAT.equals(json.format), "format must be %s, got %s", FORMAT, json.format);
      Args.check(json.version == VERSION, "version must be %s, got %s", VERSION, json.version);
      CalibrationMethod method = CalibrationMethod.fromId(Objects.requireNonNull(json.method, "method"));
      Args.finite("alpha", Args.nonNegative("alpha", json.alpha));
      Args.finite("penaltyCoef", Args.nonNegative("penaltyCoef", json.penaltyCoef));
      Args.finite("windowHalfWidth", Args.nonNegative("windowHalfWidth", json.windowHalfWidth));
      Args.check(json.featureName != null, "featureName is missing");
      Args.check(!method.usesPenalty() || json.penaltyFeatureName != null, "penaltyFeatureName is missing");
      Args.positive("points", json.points);
      Objects.requireNonNull(json.knotX, "knotX");
      Objects.requireNonNull(json.knotBias, "knotBias");
      json.knotSupport = json.knotSupport == null ? new int[0] : json.knotSupport;
      Args.check(json.knotX.length == json.knotBias.length,
          "knotX and knotBias must have the same length, got %s and %s", json.knotX.length, json.knotBias.length);
      Args.check(method == CalibrationMethod.PENALTY || json.knotX.length > 0, "knots are missing");
      if (method == CalibrationMethod.MEAN) {
        Args.positive("minCount", json.minCount);
        Args.check(json.knotSupport.length == json.knotX.length, "knotSupport must have %s entries, got %s",
            json.knotX.length, json.knotSupport.length);
      }
      for (int i = 0; i < json.knotX.length; i++) {
        Args.finite("knotX", i, json.knotX[i]);
        Args.finite("knotBias", i, json.knotBias[i]);
        Args.check(i == 0 || json.knotX[i] > json.knotX[i - 1], "knotX must be strictly ascending at %s", i);
      }
      json.knotX = json.knotX.clone();
      json.knotBias = json.knotBias.clone();
      json.knotSupport = json.knotSupport.clone();
      return new Calibration(json);
    }
  }
}
