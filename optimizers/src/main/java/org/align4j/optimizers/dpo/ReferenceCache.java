package org.align4j.optimizers.dpo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.provenance.Provenance;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk cache of reference log-probabilities: a small binary file (magic, format version, key, pair count,
 * then the chosen and the rejected sums as big-endian float64). The key is a SHA-256 of the tokenized pairs (so the
 * data, the tokenizer and the truncation all count) and of the reference model's provenance (its configuration and
 * training record, without its creation time) together with a fingerprint of its weights. A file whose key, format
 * or length does not match is ignored (and later overwritten).
 */
final class ReferenceCache {

  private static final Logger LOG = LoggerFactory.getLogger(ReferenceCache.class);
  private static final String MAGIC = "align4j-reference-logprobs";
  private static final int VERSION = 1;

  private ReferenceCache() {}

  /** The cache key of {@code pairs} scored by {@code reference}. */
  static String key(TransformerLm reference, List<EncodedPair> pairs) {
    MessageDigest d = sha256();
    update(d, MAGIC + "/" + VERSION);
    Provenance p = reference.provenance();
    update(d, p.kind());
    update(d, new TreeMap<>(p.configuration()).toString());
    update(d, p.dataName());
    update(d, p.dataSha256());
    update(d, Long.toString(p.seed()));
    update(d, Long.toString(p.steps()));
    update(d, reference.config().toString());
    for (Map.Entry<String, INDArray> e : reference.weights().asMap().entrySet()) {
      update(d, e.getKey());
      float[] values = e.getValue().dup('c').data().asFloat();
      ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.BIG_ENDIAN);
      buf.asFloatBuffer().put(values);
      d.update(buf.array());
    }
    ByteBuffer ints = ByteBuffer.allocate(4);
    for (EncodedPair pair : pairs) {
      update(d, ints, pair.responseStart());
      for (int[] s : new int[][] {pair.chosen(), pair.rejected()}) {
        update(d, ints, s.length);
        for (int t : s) {
          update(d, ints, t);
        }
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /** The cached values when {@code file} exists and holds {@code n} pairs under {@code key}. */
  static Optional<ResponseLogProbs> read(Path file, String key, int n) {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
      if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
        LOG.warn("{} is not a reference log-prob cache of this version; recomputing", file);
        return Optional.empty();
      }
      String stored = in.readUTF();
      int count = in.readInt();
      if (!stored.equals(key) || count != n) {
        LOG.info("reference cache {} is for other data or another reference model; recomputing", file);
        return Optional.empty();
      }
      double[] chosen = new double[n];
      double[] rejected = new double[n];
      for (int i = 0; i < n; i++) {
        chosen[i] = in.readDouble();
      }
      for (int i = 0; i < n; i++) {
        rejected[i] = in.readDouble();
      }
      return Optional.of(new ResponseLogProbs(chosen, rejected));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn("cannot read reference cache {} ({}); recomputing", file, e.toString());
      return Optional.empty();
    }
  }

  /** Writes {@code values} under {@code key} to {@code file}, atomically. */
  static void write(Path file, String key, ResponseLogProbs values) {
    AtomicFiles.write(file, raw -> {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw));
      out.writeUTF(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(key);
      out.writeInt(values.size());
      for (double v : values.chosen()) {
        out.writeDouble(v);
      }
      for (double v : values.rejected()) {
        out.writeDouble(v);
      }
      out.flush();
    });
  }

  private static void update(MessageDigest d, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    d.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    d.update(bytes);
  }

  private static void update(MessageDigest d, ByteBuffer buf, int v) {
    buf.clear();
    buf.putInt(v);
    d.update(buf.array());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
