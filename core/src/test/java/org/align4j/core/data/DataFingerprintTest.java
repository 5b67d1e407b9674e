package org.align4j.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataFingerprintTest {

  private static final Dataset<TextExample> DATA =
      Dataset.of("d", List.of(new TextExample("a", "xy"), new TextExample("b", "é")));

  @Test
  void matchesADirectDigestOfTheDocumentedLayout() throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    field(digest, "align4j-data-fingerprint/1");
    field(digest, "text");
    for (List<String> example : List.of(List.of("a", "xy"), List.of("b", "é"))) {
      digest.update(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) example.size()});
      example.forEach(f -> field(digest, f));
    }
    assertThat(DataFingerprint.ofTexts(DATA)).isEqualTo(HexFormat.of().formatHex(digest.digest())).hasSize(64);
  }

  @Test
  void boundariesOrderAndKindMatterButMetadataDoesNot() {
    String expected = DataFingerprint.ofTexts(DATA);
    Dataset<TextExample> shifted = Dataset.of("d", List.of(new TextExample("a", "xyb"), new TextExample("", "é")));
    assertThat(DataFingerprint.ofTexts(shifted)).isNotEqualTo(expected);
    Dataset<TextExample> withMeta =
        Dataset.of("other name", List.of(new TextExample("a", "xy", Map.of("k", 1)), new TextExample("b", "é")));
    assertThat(DataFingerprint.ofTexts(withMeta)).isEqualTo(expected);
    List<TextExample> reversed = new ArrayList<>(DATA.toList());
    Collections.reverse(reversed);
    assertThat(DataFingerprint.ofTexts(Dataset.of("r", reversed))).isNotEqualTo(expected);
    // the same strings as one four-field record of another kind, or as four prompts, differ
    assertThat(DataFingerprint.ofPrompts(List.of("a", "xy", "b", "é"))).isNotEqualTo(expected);
    assertThat(DataFingerprint.ofPairs(Dataset.of("p", List.of(new PreferencePair("a", "xy", "b", "é")))))
        .isNotEqualTo(expected);
  }

  @Test
  void theAccumulatorEqualsTheWholeDataSetForm() {
    DataFingerprint.Accumulator acc = DataFingerprint.accumulator("text");
    DATA.toList().forEach(acc::add);
    assertThat(acc.hex()).isEqualTo(DataFingerprint.ofTexts(DATA));
    assertThat(DataFingerprint.ofPrompts(List.of("p", "q")))
        .isEqualTo(DataFingerprint.of(Dataset.of("x", List.of("p", "q")), "prompt", s -> List.of(s)));
  }

  private static void field(MessageDigest digest, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    digest.update(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) bytes.length});
    digest.update(bytes);
  }
}
