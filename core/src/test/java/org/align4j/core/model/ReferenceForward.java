package org.align4j.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A slow, obvious float64 forward pass of the transformer written with plain loops, as the independent
 * implementation the ND4J and SameDiff paths are tested against. GELU is ND4J's: {@code x * sigmoid(1.702 x)}.
 */
final class ReferenceForward {

  private final TransformerWeights w;
  private final TransformerConfig c;

  ReferenceForward(TransformerWeights weights) {
    this.w = weights;
    this.c = weights.config();
  }

  /** log p(s[t] | s[0..t-1]) for t = 1..n-1. */
  double[] tokenLogProbs(int[] s) {
    double[][] logits = logits(s);
    double[] out = new double[s.length - 1];
    for (int t = 0; t + 1 < s.length; t++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : logits[t]) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : logits[t]) {
        sum += Math.exp(v - max);
      }
      out[t] = logits[t][s[t + 1]] - max - Math.log(sum);
    }
    return out;
  }

  /** Logits [T][V] of one unpadded sequence. */
  double[][] logits(int[] s) {
    int t = s.length;
    int d = c.dModel();
    double[][] tok = m("tok_emb");
    double[][] pos = m("pos_emb");
    double[][] x = new double[t][d];
    for (int i = 0; i < t; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = tok[s[i]][j] + pos[i][j];
      }
    }
    for (int l = 0; l < c.layers(); l++) {
      String p = "l" + l + ".";
      double[][] h = layerNorm(x, p + "ln1");
      double[][] q = linear(h, p + "attn.wq", p + "attn.bq");
      double[][] k = linear(h, p + "attn.wk", p + "attn.bk");
      double[][] v = linear(h, p + "attn.wv", p + "attn.bv");
      double[][] att = new double[t][d];
      int hd = c.headDim();
      for (int head = 0; head < c.heads(); head++) {
        int o = head * hd;
        for (int i = 0; i < t; i++) {
          double[] score = new double[i + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j <= i; j++) {
            double dot = 0;
            for (int e = 0; e < hd; e++) {
              dot += q[i][o + e] * k[j][o + e];
            }
            score[j] = dot / Math.sqrt(hd);
            max = Math.max(max, score[j]);
          }
          double sum = 0;
          for (int j = 0; j <= i; j++) {
            score[j] = Math.exp(score[j] - max);
            sum += score[j];
          }
          for (int j = 0; j <= i; j++) {
            for (int e = 0; e < hd; e++) {
              att[i][o + e] += score[j] / sum * v[j][o + e];
            }
          }
        }
      }
      add(x, linear(att, p + "attn.wo", p + "attn.bo"));
      double[][] hidden = linear(layerNorm(x, p + "ln2"), p + "mlp.w1", p + "mlp.b1");
      for (double[] row : hidden) {
        for (int j = 0; j < row.length; j++) {
          row[j] = row[j] / (1 + Math.exp(-1.702 * row[j]));
        }
      }
      add(x, linear(hidden, p + "mlp.w2", p + "mlp.b2"));
    }
    double[][] h = layerNorm(x, "lnf");
    double[][] logits = new double[t][c.vocabSize()];
    for (int i = 0; i < t; i++) {
      for (int vId = 0; vId < c.vocabSize(); vId++) {
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += h[i][j] * tok[vId][j];
        }
        logits[i][vId] = dot;
      }
    }
    return logits;
  }

  private double[][] m(String name) {
    INDArray a = w.get(name);
    return a.rank() == 1 ? new double[][] {a.toDoubleVector()} : a.toDoubleMatrix();
  }

  private double[][] linear(double[][] x, String weight, String bias) {
    double[][] wm = m(weight);
    double[] b = m(bias)[0];
    double[][] out = new double[x.length][wm[0].length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < wm[0].length; j++) {
        double s = b[j];
        for (int k = 0; k < wm.length; k++) {
          s += x[i][k] * wm[k][j];
        }
        out[i][j] = s;
      }
    }
    return out;
  }

  private double[][] layerNorm(double[][] x, String prefix) {
    double[] g = m(prefix + ".g")[0];
    double[] b = m(prefix + ".b")[0];
    double[][] out = new double[x.length][x[0].length];
    for (int i = 0; i < x.length; i++) {
      double mean = 0;
      for (double v : x[i]) {
        mean += v;
      }
      mean /= x[i].length;
      double var = 0;
      for (double v : x[i]) {
        var += (v - mean) * (v - mean);
      }
      var /= x[i].length;
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = (x[i][j] - mean) / Math.sqrt(var + 1e-5) * g[j] + b[j];
      }
    }
    return out;
  }

  private static void add(double[][] x, double[][] y) {
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] += y[i][j];
      }
    }
  }
}
