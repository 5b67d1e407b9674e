package org.align4j.core.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.align4j.core.checkpoint.CheckpointException;
import org.align4j.core.checkpoint.Checkpoints;
import org.align4j.core.model.TransformerLm;
import org.align4j.core.model.internal.TransformerBackprop;
import org.align4j.core.model.internal.TransformerGraph;
import org.align4j.core.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class HfCheckpointsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static void assertSameWeights(TransformerLm a, TransformerLm b) {
    assertThat(b.config()).isEqualTo(a.config());
    for (var e : a.weights().asMap().entrySet()) {
      INDArray other = b.weights().get(e.getKey());
      assertThat(other.data().asFloat()).as(e.getKey()).containsExactly(e.getValue().data().asFloat());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama", "qwen2"})
  void exportWritesTheFamilysNamesAndImportsBackExactly(String family) throws IOException {
    Path source = HfFixtures.folder(family);
    TransformerLm model = HfCheckpoints.load(source);
    Path out = dir.resolve("export");
    HfCheckpoints.export(model, out);
    TransformerLm back = HfCheckpoints.load(out);
    assertSameWeights(model, back);
    int[] seq = {3, 14, 15, 92, 65};
    assertThat(back.logits(seq)).isDeepEqualTo(model.logits(seq));
    Set<String> original;
    try (SafeTensorsFolder f = SafeTensorsFolder.open(source)) {
      original = f.names().stream().filter(n -> !n.endsWith(".attn.bias"))
          .map(n -> family.equals("gpt2") ? "transformer." + n : n).collect(Collectors.toCollection(TreeSet::new));
    }
    try (SafeTensorsFolder f = SafeTensorsFolder.open(out)) {
      assertThat(new TreeSet<>(f.names())).isEqualTo(original);
    }
    var config = JSON.readTree(Files.readString(out.resolve("config.json")));
    var sourceConfig = JSON.readTree(Files.readString(source.resolve("config.json")));
    for (String key : new String[] {"architectures", "model_type", "vocab_size", "tie_word_embeddings"}) {
      if (sourceConfig.has(key)) {
        assertThat(config.get(key)).as(key).isEqualTo(sourceConfig.get(key));
      }
    }
    assertThat(back.tokenizer().encode("the quick brown fox")).containsExactly(
        model.tokenizer().encode("the quick brown fox"));
  }

  @Test
  void importedModelsSurviveAlign4jCheckpoints() {
    TransformerLm model = HfCheckpoints.load(HfFixtures.folder("llama"));
    Path ckpt = dir.resolve("llama.zip");
    Checkpoints.save(model, ckpt);
    TransformerLm back = Checkpoints.load(ckpt);
    assertSameWeights(model, back);
    String text = "naïve café 🙂";
    assertThat(back.tokenizer().encode(text)).containsExactly(model.tokenizer().encode(text));
  }

  @Test
  void trainingPathsRefuseOptionsTheyDoNotImplement() {
    TransformerLm llama = HfCheckpoints.load(HfFixtures.folder("llama"));
    assertThatThrownBy(() -> new TransformerBackprop(llama.weights()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rotary positions")
        .hasMessageContaining("norm RMS").hasMessageContaining("grouped-query attention")
        .hasMessageContaining("untied output");
    assertThat(TransformerGraph.create(llama.weights(), 8, true)).isNotNull();
    TransformerLm gpt2 = HfCheckpoints.load(HfFixtures.folder("gpt2"));
    assertThatThrownBy(() -> new TransformerBackprop(gpt2.weights())).hasMessageContaining("GELU_TANH");
    assertThat(TransformerGraph.create(gpt2.weights(), 8, true)).isNotNull();
  }

  @Test
  void exportRefusesArchitecturesWithoutAHuggingFaceFamily() {
    TransformerLm own = TransformerLm.create(org.align4j.core.model.TinyModels.config(16), ByteTokenizer.INSTANCE, 1);
    assertThatThrownBy(() -> HfCheckpoints.export(own, dir.resolve("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("matches no Hugging Face family");
    assertThat(dir.resolve("x")).doesNotExist();
  }

  private int copies;

  private Path copy(String family) throws IOException {
    Path to = dir.resolve(family + "-copy" + copies++);
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(HfFixtures.folder(family))) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  private static void editConfig(Path folder, String key, Object value) throws IOException {
    ObjectNode c = (ObjectNode) JSON.readTree(Files.readString(folder.resolve("config.json")));
    c.set(key, JSON.valueToTree(value));
    Files.writeString(folder.resolve("config.json"), c.toString());
  }

  @Test
  void unsupportedArchitectureIsNamedWithTheSupportedOnes() throws IOException {
    Path f = copy("gpt2");
    editConfig(f, "architectures", new String[] {"BertForMaskedLM"});
    assertThatThrownBy(() -> HfCheckpoints.load(f)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("BertForMaskedLM").hasMessageContaining("GPT2LMHeadModel, GPT2Model, LlamaForCausalLM");
    Path g = copy("llama");
    editConfig(g, "hidden_act", "gelu");
    assertThatThrownBy(() -> HfCheckpoints.load(g)).hasMessageContaining("hidden_act=gelu");
    Path h = dir.resolve("h");
    Files.createDirectories(h);
    Files.copy(HfFixtures.folder("llama").resolve("config.json"), h.resolve("config.json"));
    editConfig(h, "rope_scaling", java.util.Map.of("rope_type", "yarn", "factor", 2.0));
    assertThatThrownBy(() -> HfCheckpoints.load(h)).hasMessageContaining("rope_scaling type yarn");
  }

  @Test
  void missingOrCorruptShardsNameFileAndTensor() throws IOException {
    Path f = copy("llama");
    Files.delete(f.resolve("model-00002-of-00002.safetensors"));
    assertThatThrownBy(() -> HfCheckpoints.load(f)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("model-00002-of-00002.safetensors").hasMessageContaining("shard is missing")
        .hasMessageContaining("tensor model.layers.");
    Path g = copy("llama");
    Path shard = g.resolve("model-00001-of-00002.safetensors");
    byte[] bytes = Files.readAllBytes(shard);
    Files.write(shard, Arrays.copyOf(bytes, bytes.length - 100));
    assertThatThrownBy(() -> HfCheckpoints.load(g)).hasMessageContaining("model-00001-of-00002.safetensors")
        .hasMessageContaining("truncated").hasMessageContaining("tensor ");
  }

  @Test
  void shapesAndVocabulariesThatDisagreeWithTheConfigAreRejected() throws IOException {
    Path f = copy("gpt2");
    editConfig(f, "vocab_size", 600);
    assertThatThrownBy(() -> HfCheckpoints.load(f)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("tensor wte.weight has shape [512, 64] but config.json implies [600, 64]");
    Path g = copy("gpt2");
    editConfig(g, "vocab_size", 400);
    assertThatThrownBy(() -> HfCheckpoints.load(g)).hasMessageContaining("invalid tokenizer")
        .hasMessageContaining("ids up to 511").hasMessageContaining("400 rows");
    Path h = copy("qwen2");
    editConfig(h, "num_key_value_heads", 2);
    assertThatThrownBy(() -> HfCheckpoints.load(h)).hasMessageContaining("k_proj.weight has shape [16, 64]")
        .hasMessageContaining("[32, 64]");
    assertThatThrownBy(() -> HfCheckpoints.load(dir.resolve("nothing")))
        .hasMessageContaining("has no config.json");
  }
}
