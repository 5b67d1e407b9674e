package org.align4j.core.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.align4j.core.checkpoint.CheckpointException;
import org.align4j.core.io.AtomicFiles;
import org.align4j.core.model.Architecture;
import org.align4j.core.model.TransformerConfig;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.TransformerWeights;
import org.align4j.core.provenance.Provenance;
import org.align4j.core.tokenizer.HfTokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads a Hugging Face model folder ({@code config.json}, {@code model.safetensors} or sharded weights with
 * {@code model.safetensors.index.json}, and {@code tokenizer.json} or GPT-2's {@code vocab.json} +
 * {@code merges.txt}) as a {@link TransformerLm}, and exports one back with the same config keys and tensor names.
 * Supported architectures: {@link #SUPPORTED}. Every problem (an unsupported architecture or option, a missing or
 * corrupt shard, a tensor whose shape disagrees with the config, a tokenizer with more ids than the embedding) is
 * a {@link CheckpointException} naming the folder or file.
 */
public final class HfCheckpoints {

  /** The {@code architectures} values this library reads. */
  public static final List<String> SUPPORTED;
  private static final List<Family> FAMILIES = List.of(new Gpt2Family(), new LlamaFamily());
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Largest shard written on export. */
  private static final long SHARD_BYTES = 2_000_000_000L;

  static {
    SUPPORTED = FAMILIES.stream().flatMap(f -> f.architectures().stream()).toList();
  }

  private HfCheckpoints() {}

  /** Whether {@code path} looks like a Hugging Face model folder (a directory with a {@code config.json}). */
  public static boolean isHfFolder(Path path) {
    return Files.isDirectory(path) && Files.isRegularFile(path.resolve("config.json"));
  }

  /**
   * Loads the model in {@code folder}, weights converted to float32.
   *
   * @throws CheckpointException when the folder cannot be imported (the message says why)
   */
  public static TransformerLm load(Path folder) {
    String where = folder.toString();
    HfConfig config = new HfConfig(readJson(folder.resolve("config.json"), where), where);
    Family family = family(config);
    TransformerConfig shape;
    try {
      shape = family.config(config);
    } catch (CheckpointException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(where, "config.json describes an invalid model: " + e.getMessage(), e);
    }
    HfTokenizer tokenizer = tokenizer(folder, config, shape.vocabSize());
    Map<String, float[]> values;
    try (SafeTensorsFolder tensors = SafeTensorsFolder.open(folder)) {
      values = family.weights(shape, tensors, where);
    }
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    values.forEach((name, v) -> arrays.put(name, Nd4j.create(v, TransformerWeights.shape(shape, name), 'c')));
    Map<String, Object> provenance = new LinkedHashMap<>(TransformerLm.configMap(shape));
    provenance.put("importedFrom", folder.toAbsolutePath().toString());
    provenance.put("huggingFaceArchitecture", config.root().path("architectures").path(0).asText(
        config.text("model_type", "")));
    return TransformerLm.of(TransformerWeights.of(shape, arrays), tokenizer,
        Provenance.of("TransformerLm", provenance, 0));
  }

  private static Family family(HfConfig config) {
    JsonNode archs = config.root().path("architectures");
    String name = archs.isArray() && archs.size() > 0 ? archs.get(0).asText() : null;
    if (name == null) {
      String type = config.text("model_type", "");
      name = switch (type) {
        case "gpt2" -> "GPT2LMHeadModel";
        case "llama" -> "LlamaForCausalLM";
        case "qwen2" -> "Qwen2ForCausalLM";
        case "mistral" -> "MistralForCausalLM";
        default -> "model_type " + (type.isEmpty() ? "(none)" : type);
      };
    }
    for (Family f : FAMILIES) {
      if (f.architectures().contains(name)) {
        return f;
      }
    }
    throw config.bad("names the unsupported architecture " + name + " (supported: "
        + String.join(", ", SUPPORTED) + ")");
  }

  private static HfTokenizer tokenizer(Path folder, HfConfig config, int vocabSize) {
    String where = folder.toString();
    try {
      Path json = folder.resolve("tokenizer.json");
      if (Files.exists(json)) {
        String text = Files.readString(json, StandardCharsets.UTF_8);
        return HfTokenizer.fromTokenizerJson(text, config.integer("bos_token_id", -1),
            config.integer("eos_token_id", -1), config.integer("pad_token_id", -1), vocabSize);
      }
      Path vocab = folder.resolve("vocab.json");
      Path merges = folder.resolve("merges.txt");
      if (Files.exists(vocab) && Files.exists(merges)) {
        String v = Files.readString(vocab, StandardCharsets.UTF_8);
        String m = Files.readString(merges, StandardCharsets.UTF_8);
        return HfTokenizer.fromVocabAndMerges(v, m, config.integer("bos_token_id", -1),
            config.integer("eos_token_id", -1), config.integer("pad_token_id", -1), vocabSize);
      }
    } catch (IOException e) {
      throw new CheckpointException(where, "tokenizer files cannot be read (" + e.getMessage() + ")", e);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(where, "invalid tokenizer: " + e.getMessage(), e);
    }
    throw new CheckpointException(where, "has no tokenizer (tokenizer.json, or vocab.json and merges.txt)");
  }

  private static JsonNode readJson(Path file, String where) {
    if (!Files.exists(file)) {
      throw new CheckpointException(where, "has no " + file.getFileName() + " (not a Hugging Face model folder)");
    }
    try {
      JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (n == null || !n.isObject()) {
        throw new CheckpointException(file.toString(), "is not a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new CheckpointException(file.toString(), "is not valid JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new CheckpointException(file.toString(), "cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Exports {@code model} to the folder {@code folder} (written atomically; it must not exist or is replaced):
   * {@code config.json}, float32 {@code model.safetensors} (sharded past 2 GB) with the family's tensor names,
   * {@code tokenizer.json} and {@code tokenizer_config.json}.
   *
   * @throws IllegalArgumentException when the model's architecture matches no Hugging Face family (this
   *     library's own models use ND4J's sigmoid GELU, which none has) or its tokenizer is not a Hugging Face one
   */
  public static void export(TransformerLm model, Path folder) {
    TransformerConfig c = model.config();
    Family family = exportFamily(c.architecture());
    if (!(model.tokenizer() instanceof HfTokenizer tokenizer)) {
      throw new IllegalArgumentException("export needs a model with a Hugging Face tokenizer (imported with "
          + "import); this model's tokenizer is a " + model.tokenizer().getClass().getSimpleName());
    }
    Map<String, float[]> weights = new LinkedHashMap<>();
    model.weights().asMap().forEach((name, a) -> weights.put(name, a.dup('c').data().asFloat()));
    List<Tensor> tensors = family.tensors(c, weights);
    Map<String, Object> config = family.configJson(c, tokenizer.bosId(), tokenizer.eosId());
    Map<String, Object> tokenizerConfig = new LinkedHashMap<>();
    tokenizerConfig.put("model_max_length", c.contextLength());
    tokenizerConfig.put("bos_token", tokenName(tokenizer, tokenizer.bosId()));
    tokenizerConfig.put("eos_token", tokenName(tokenizer, tokenizer.eosId()));
    AtomicFiles.writeDirectory(folder, dir -> {
      Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(config));
      Files.writeString(dir.resolve("tokenizer.json"), tokenizer.tokenizerJson());
      Files.writeString(dir.resolve("tokenizer_config.json"), JSON.writeValueAsString(tokenizerConfig));
      SafeTensorsFolder.write(dir, tensors, Map.of("format", "pt"), SHARD_BYTES);
    });
  }

  private static String tokenName(HfTokenizer tokenizer, int id) {
    String s = tokenizer.token(id);
    return s == null ? "" : s;
  }

  private static Family exportFamily(Architecture a) {
    if (a.norm() == Architecture.Norm.LAYER && a.activation() == Architecture.Activation.GELU_TANH
        && a.unsupportedBy(List.of(Architecture.Activation.GELU_TANH)).isEmpty()) {
      return FAMILIES.get(0);
    }
    if (a.norm() == Architecture.Norm.RMS && a.activation() == Architecture.Activation.SWIGLU && a.rotary()
        && !a.denseBias()) {
      return FAMILIES.get(1);
    }
    throw new IllegalArgumentException("this model's architecture " + a + " matches no Hugging Face family "
        + "align4j exports (GPT-2: layer norm, GELU tanh, learned positions, biases, tied output; Llama/Qwen2: RMS "
        + "norm, SwiGLU, rotary positions, no dense biases)");
  }
}
