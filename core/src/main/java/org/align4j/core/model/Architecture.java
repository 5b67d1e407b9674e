package org.align4j.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.align4j.core.util.Args;

/**
 * The architecture options of a {@link TransformerConfig}, covering the GPT-2 and Llama families with one model
 * class: the normalisation, the MLP's activation, how positions enter (learned embeddings or rotary), grouped-query
 * attention, which projections carry biases, and whether the output layer is tied to the input embedding.
 * {@link #reference()} is this library's own model (the one every trainer supports).
 *
 * @param norm the normalisation of each sub-layer's input and of the final hidden state
 * @param normEps the epsilon added to the variance (or mean square) under the square root
 * @param activation the MLP's non-linearity; {@link Activation#SWIGLU} adds a gate projection {@code mlp.w3}
 * @param rope rotary position embedding of queries and keys, or null for learned position embeddings
 *     ({@code pos_emb})
 * @param kvHeads key/value heads (grouped-query attention), dividing the query heads; 0 for as many as the query
 *     heads
 * @param mlpHidden the MLP's hidden width; 0 for {@code dModel * mlpRatio}
 * @param qkvBias whether the query, key and value projections have biases
 * @param denseBias whether the attention output projection and the MLP projections have biases (a layer norm
 *     always has its shift, an RMS norm never)
 * @param tiedOutput whether the output layer is the transposed token embedding; when false, {@code lm_head [V, d]}
 */
public record Architecture(Norm norm, double normEps, Activation activation, Rope rope, int kvHeads, int mlpHidden,
    boolean qkvBias, boolean denseBias, boolean tiedOutput) {

  /** The normalisation layers. */
  public enum Norm {
    /** {@code (x - mean) / sqrt(var + eps) * g + b} (GPT-2). */
    LAYER,
    /** {@code x / sqrt(mean(x^2) + eps) * g} (Llama). */
    RMS
  }

  /** The MLP's non-linearity. */
  public enum Activation {
    /** ND4J's GELU, {@code x * sigmoid(1.702 x)} (this library's own models). */
    GELU_SIGMOID,
    /** GELU's tanh approximation {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))} (GPT-2's gelu_new). */
    GELU_TANH,
    /** {@code down(silu(gate(x)) * up(x))}: {@code mlp.w1} is the gate, {@code mlp.w3} the up projection (Llama). */
    SWIGLU
  }

  /** How the rotary frequencies are rescaled for longer contexts. */
  public enum RopeScaling {
    /** No rescaling. */
    NONE,
    /** Every frequency divided by the factor (position interpolation). */
    LINEAR,
    /** Llama 3's: low frequencies divided by the factor, high ones kept, a smooth blend between. */
    LLAMA3
  }

  /**
   * Rotary position embedding in the Hugging Face layout: the two halves of each head are rotated against each
   * other, frequency {@code i} being {@code theta^(-2i / headDim)} before scaling.
   *
   * @param theta the base
   * @param scaling frequency rescaling
   * @param factor the scaling factor (1 for none)
   * @param lowFreqFactor Llama 3 scaling's low-frequency factor (ignored otherwise)
   * @param highFreqFactor Llama 3 scaling's high-frequency factor (ignored otherwise)
   * @param originalContext Llama 3 scaling's original context length (ignored otherwise)
   */
  public record Rope(double theta, RopeScaling scaling, double factor, double lowFreqFactor, double highFreqFactor,
      int originalContext) {

    /** Validates. */
    public Rope {
      Args.check(theta > 1, "rope theta must be > 1, got %s", theta);
      Objects.requireNonNull(scaling, "scaling");
      Args.positive("rope factor", factor);
      if (scaling == RopeScaling.LLAMA3) {
        Args.positive("rope originalContext", originalContext);
        Args.check(highFreqFactor > lowFreqFactor && lowFreqFactor > 0,
            "llama3 rope scaling needs 0 < low_freq_factor < high_freq_factor, got %s, %s", lowFreqFactor,
            highFreqFactor);
      }
    }

    /** Unscaled rotary embedding with base {@code theta}. */
    public static Rope of(double theta) {
      return new Rope(theta, RopeScaling.NONE, 1, 0, 0, 0);
    }

    /** The {@code headDim / 2} rotation frequencies, scaling applied. */
    public double[] inverseFrequencies(int headDim) {
      double[] f = new double[headDim / 2];
      for (int i = 0; i < f.length; i++) {
        double base = 1.0 / Math.pow(theta, 2.0 * i / headDim);
        f[i] = switch (scaling) {
          case NONE -> base;
          case LINEAR -> base / factor;
          case LLAMA3 -> llama3(base);
        };
      }
      return f;
    }

    private double llama3(double freq) {
      double wavelength = 2 * Math.PI / freq;
      double lowWavelength = originalContext / lowFreqFactor;
      double highWavelength = originalContext / highFreqFactor;
      if (wavelength < highWavelength) {
        return freq;
      }
      if (wavelength > lowWavelength) {
        return freq / factor;
      }
      double smooth = (originalContext / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
      return (1 - smooth) * freq / factor + smooth * freq;
    }
  }

  /** Validates. */
  public Architecture {
    Objects.requireNonNull(norm, "norm");
    Objects.requireNonNull(activation, "activation");
    Args.positive("normEps", normEps);
    Args.nonNegative("kvHeads", kvHeads);
    Args.nonNegative("mlpHidden", mlpHidden);
  }

  /** This library's own model: layer norm (eps 1e-5), ND4J's GELU, learned positions, every bias, tied output. */
  public static Architecture reference() {
    return new Architecture(Norm.LAYER, 1e-5, Activation.GELU_SIGMOID, null, 0, 0, true, true, true);
  }

  /** GPT-2's: as {@link #reference()} with GELU's tanh approximation and the given epsilon. */
  public static Architecture gpt2(double normEps) {
    return new Architecture(Norm.LAYER, normEps, Activation.GELU_TANH, null, 0, 0, true, true, true);
  }

  /** Whether positions are rotary (no {@code pos_emb}). */
  public boolean rotary() {
    return rope != null;
  }

  /**
   * The options that differ from those {@code supported} by a code path; empty when it supports them all.
   * Training paths call this and refuse models with any option they do not implement.
   */
  public List<String> unsupportedBy(List<Activation> activations) {
    List<String> out = new ArrayList<>();
    if (norm != Norm.LAYER) {
      out.add("norm " + norm);
    }
    if (!activations.contains(activation)) {
      out.add("activation " + activation);
    }
    if (rope != null) {
      out.add("rotary positions");
    }
    if (kvHeads != 0) {
      out.add("grouped-query attention");
    }
    if (!qkvBias || !denseBias) {
      out.add("projections without biases");
    }
    if (!tiedOutput) {
      out.add("an untied output layer");
    }
    return out;
  }

  /**
   * Throws when this architecture uses an option {@code path} does not implement.
   *
   * @throws IllegalArgumentException naming the path and the options
   */
  public void require(String path, List<Activation> activations) {
    List<String> missing = unsupportedBy(activations);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(path + " supports only layer norm, learned positions, full attention, "
          + "biases and a tied output with activations " + activations + "; this model has " + missing);
    }
  }
}
