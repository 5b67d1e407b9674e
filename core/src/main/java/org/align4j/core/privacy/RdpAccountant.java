package org.align4j.core.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * Rényi-DP accountant for the Poisson-subsampled Gaussian mechanism (Mironov, Talwar and Zhang 2019), matching
 * Opacus's {@code RDPAccountant}: the RDP curve of every history entry is evaluated at a set of orders (integer
 * orders by the binomial sum, fractional orders by the signed two-series erfc form), scaled by its steps, summed,
 * and converted to (epsilon, delta) with the {@link RdpConversion#IMPROVED improved} (default) or
 * {@link RdpConversion#CLASSIC classic} conversion at the best order.
 *
 * <pre>{@code
 * RdpAccountant accountant = new RdpAccountant();
 * accountant.add(1.1, 256.0 / 60000, 14062);
 * RdpGuarantee g = accountant.guarantee(1e-5); // epsilon 2.5966 at order 10
 * }</pre>
 */
public final class RdpAccountant extends PrivacyAccountant {

  private static final double[] DEFAULT_ORDERS = defaultOrderArray();

  private final double[] orders;
  private final RdpConversion conversion;
  private final Map<MechanismKey, double[]> curves = new HashMap<>();

  /** An accountant with {@link #defaultOrders()} and the improved conversion. */
  public RdpAccountant() {
    this(DEFAULT_ORDERS, RdpConversion.IMPROVED);
  }

  /** An accountant with the default orders and the given conversion. */
  public RdpAccountant(RdpConversion conversion) {
    this(DEFAULT_ORDERS, conversion);
  }

  /**
   * An accountant with the given orders (each finite and {@code > 1}; at least one) and conversion.
   */
  public RdpAccountant(double[] orders, RdpConversion conversion) {
    Objects.requireNonNull(orders, "orders");
    Args.check(orders.length > 0, "orders must not be empty");
    for (double order : orders) {
      Args.finite("order", order);
      Args.check(order > 1, "order must be > 1, got %s", order);
    }
    this.orders = orders.clone();
    this.conversion = Objects.requireNonNull(conversion, "conversion");
  }

  /** Opacus's default orders: {@code 1 + x/10} for x in 1..99, then 12..63 (151 orders). */
  public static double[] defaultOrders() {
    return DEFAULT_ORDERS.clone();
  }

  /**
   * RDP of one step of the Poisson-subsampled Gaussian mechanism at one order; {@code order / (2 sigma^2)} when
   * {@code sampleRate} is 1.
   *
   * @param noiseMultiplier sigma, finite and {@code > 0}
   * @param sampleRate q in (0, 1]
   * @param order the Rényi order, finite and {@code > 1}
   */
  public static double rdp(double noiseMultiplier, double sampleRate, double order) {
    MechanismStep.checkNoiseMultiplier(noiseMultiplier);
    MechanismStep.checkSampleRate(sampleRate);
    Args.finite("order", order);
    Args.check(order > 1, "order must be > 1, got %s", order);
    return SubsampledGaussianRdp.rdp(sampleRate, noiseMultiplier, order);
  }

  @Override
  public String name() {
    return "rdp";
  }

  /** The orders (a copy). */
  public double[] orders() {
    return orders.clone();
  }

  /** The conversion to (epsilon, delta). */
  public RdpConversion conversion() {
    return conversion;
  }

  /** The RDP curve of the whole history at {@link #orders()}: the sum over entries of steps times one step's RDP. */
  public synchronized double[] rdpCurve() {
    double[] total = new double[orders.length];
    for (MechanismStep entry : history()) {
      double[] curve = curves.computeIfAbsent(
          new MechanismKey(entry.noiseMultiplier(), entry.sampleRate()), this::curve);
      for (int k = 0; k < total.length; k++) {
        total[k] += entry.steps() * curve[k];
      }
    }
    return total;
  }

  /**
   * The epsilon for {@code delta} with the order that attains it.
   *
   * @param delta in (0, 1)
   */
  public RdpGuarantee guarantee(double delta) {
    checkDelta(delta);
    if (history().isEmpty()) {
      return new RdpGuarantee(0, delta, orders[0]);
    }
    double[] rdp = rdpCurve();
    double logDelta = Math.log(delta);
    double best = Double.POSITIVE_INFINITY;
    double bestOrder = orders[0];
    for (int k = 0; k < orders.length; k++) {
      double eps = conversion.epsilon(orders[k], rdp[k], logDelta);
      if (eps < best) {
        best = eps;
        bestOrder = orders[k];
      }
    }
    return new RdpGuarantee(Math.max(0, best), delta, bestOrder);
  }

  @Override
  public double epsilon(double delta) {
    return guarantee(delta).epsilon();
  }

  @Override
  public double delta(double epsilon) {
    checkEpsilon(epsilon);
    if (history().isEmpty()) {
      return 0;
    }
    double[] rdp = rdpCurve();
    double best = 0;
    for (int k = 0; k < orders.length; k++) {
      best = Math.min(best, conversion.logDelta(orders[k], rdp[k], epsilon));
    }
    return Math.exp(best);
  }

  @Override
  public RdpAccountant emptyCopy() {
    return new RdpAccountant(orders, conversion);
  }

  @Override
  void writeSettings(ObjectNode settings) {
    settings.put("conversion", conversion.name().toLowerCase(Locale.ROOT));
    ArrayNode array = settings.putArray("orders");
    for (double order : orders) {
      array.add(order);
    }
  }

  static RdpAccountant fromSettings(JsonNode settings) {
    String name = settings.path("conversion").asText("improved").toUpperCase(Locale.ROOT);
    RdpConversion conversion;
    try {
      conversion = RdpConversion.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("conversion must be improved or classic, got " + name);
    }
    JsonNode list = settings.get("orders");
    if (list == null) {
      return new RdpAccountant(conversion);
    }
    Args.check(list.isArray(), "\"orders\" must be an array");
    double[] orders = new double[list.size()];
    for (int k = 0; k < orders.length; k++) {
      Args.check(list.get(k).isNumber(), "\"orders\" must hold numbers, got %s", list.get(k));
      orders[k] = list.get(k).asDouble();
    }
    return new RdpAccountant(orders, conversion);
  }

  private double[] curve(MechanismKey key) {
    return SubsampledGaussianRdp.curve(key.sampleRate(), key.noiseMultiplier(), orders);
  }

  @Override
  public String toString() {
    return "RdpAccountant[" + orders.length + " orders, " + conversion + ", history=" + history() + "]";
  }

  private static double[] defaultOrderArray() {
    double[] orders = new double[99 + 52];
    int n = 0;
    for (int x = 1; x <= 99; x++) {
      orders[n++] = 1 + x / 10.0;
    }
    for (int a = 12; a <= 63; a++) {
      orders[n++] = a;
    }
    return orders;
  }

  private record MechanismKey(double noiseMultiplier, double sampleRate) {}
}
