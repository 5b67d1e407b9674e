package org.align4j.memorization.canary;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.align4j.core.util.Args;

/**
 * A canary template with random slots, e.g. {@code "my api key is {hex:12}"} or {@code "the secret number is
 * {digits:6}"}. Slot kinds: {@code digits} (0-9), {@code hex} (0-9a-f), {@code letters} (a-z) and {@code alnum}
 * (0-9a-z), each with a length from 1 to 64. The randomness space R is every filling of the slots; a candidate's
 * index in [0, |R|) reads the slot characters as one mixed-radix number (last character least significant).
 */
public final class CanaryFormat {

  private static final Pattern SLOT = Pattern.compile("\\{(digits|hex|letters|alnum):(\\d+)}");

  private final String template;
  /** Literal text before each slot, then after the last: {@code literals.size() == slots + 1}. */
  private final List<String> literals = new ArrayList<>();
  private final List<String> alphabets = new ArrayList<>();
  private final List<Integer> lengths = new ArrayList<>();
  private final BigInteger size;

  private CanaryFormat(String template) {
    this.template = template;
    Matcher m = SLOT.matcher(template);
    int last = 0;
    BigInteger total = BigInteger.ONE;
    while (m.find()) {
      literals.add(template.substring(last, m.start()));
      String alphabet = switch (m.group(1)) {
        case "digits" -> "0123456789";
        case "hex" -> "0123456789abcdef";
        case "letters" -> "abcdefghijklmnopqrstuvwxyz";
        default -> "0123456789abcdefghijklmnopqrstuvwxyz";
      };
      int length = Integer.parseInt(m.group(2));
      Args.check(length >= 1 && length <= 64, "slot length must be in [1, 64], got %s in %s", length, template);
      alphabets.add(alphabet);
      lengths.add(length);
      total = total.multiply(BigInteger.valueOf(alphabet.length()).pow(length));
      last = m.end();
    }
    literals.add(template.substring(last));
    Args.check(!alphabets.isEmpty(), "canary format needs at least one slot such as {digits:6}, got: %s", template);
    this.size = total;
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException when it holds no slot or a slot length outside [1, 64]
   */
  public static CanaryFormat of(String template) {
    return new CanaryFormat(Objects.requireNonNull(template, "template"));
  }

  /** The template text. */
  public String template() {
    return template;
  }

  /** |R|, the number of distinct canaries of this format. */
  public BigInteger size() {
    return size;
  }

  /** log2 |R|. */
  public double log2Size() {
    double log2 = 0;
    for (int s = 0; s < alphabets.size(); s++) {
      log2 += lengths.get(s) * Math.log(alphabets.get(s).length()) / Math.log(2);
    }
    return log2;
  }

  /** A uniformly random canary of this format. */
  public String random(SplittableRandom rnd) {
    StringBuilder sb = new StringBuilder();
    for (int s = 0; s < alphabets.size(); s++) {
      sb.append(literals.get(s));
      String alphabet = alphabets.get(s);
      for (int i = 0; i < lengths.get(s); i++) {
        sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
    }
    return sb.append(literals.get(literals.size() - 1)).toString();
  }

  /** The candidate of index {@code index} in [0, |R|). */
  public String candidate(long index) {
    Args.check(index >= 0 && BigInteger.valueOf(index).compareTo(size) < 0, "index must be in [0, %s), got %s", size,
        index);
    char[][] slots = new char[alphabets.size()][];
    long rest = index;
    for (int s = alphabets.size() - 1; s >= 0; s--) {
      String alphabet = alphabets.get(s);
      slots[s] = new char[lengths.get(s)];
      for (int i = lengths.get(s) - 1; i >= 0; i--) {
        slots[s][i] = alphabet.charAt((int) (rest % alphabet.length()));
        rest /= alphabet.length();
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int s = 0; s < slots.length; s++) {
      sb.append(literals.get(s)).append(slots[s]);
    }
    return sb.append(literals.get(literals.size() - 1)).toString();
  }

  @Override
  public String toString() {
    return template;
  }
}
