package org.align4j.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.align4j.core.data.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyAccountantTest {

  @TempDir Path dir;

  @Test
  void consecutiveEqualEntriesMerge() {
    PrivacyAccountant accountant = new RdpAccountant();
    accountant.step(1.0, 0.01).step(1.0, 0.01).add(1.0, 0.01, 8).add(2.0, 0.01, 5).step(1.0, 0.01).add(1.0, 0.01, 0);
    assertThat(accountant.history()).containsExactly(
        new MechanismStep(1.0, 0.01, 10), new MechanismStep(2.0, 0.01, 5), new MechanismStep(1.0, 0.01, 1));
    assertThat(accountant.totalSteps()).isEqualTo(16);
  }

  @Test
  void badInputNamesTheParameterAndValue() {
    PrivacyAccountant accountant = new RdpAccountant();
    assertThatThrownBy(() -> accountant.step(0, 0.1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("noiseMultiplier").hasMessageContaining("0.0");
    assertThatThrownBy(() -> accountant.step(-1, 0.1)).hasMessageContaining("noiseMultiplier must be > 0, got -1.0");
    assertThatThrownBy(() -> accountant.step(1, 0)).hasMessageContaining("sampleRate").hasMessageContaining("0.0");
    assertThatThrownBy(() -> accountant.step(1, 1.5)).hasMessageContaining("sampleRate").hasMessageContaining("1.5");
    assertThatThrownBy(() -> accountant.add(1, 0.1, -3)).hasMessageContaining("steps must be >= 0, got -3");
    for (PrivacyAccountant a : List.of(new RdpAccountant(), new PldAccountant())) {
      assertThatThrownBy(() -> a.epsilon(0)).hasMessageContaining("delta").hasMessageContaining("0.0");
      assertThatThrownBy(() -> a.epsilon(1)).hasMessageContaining("delta").hasMessageContaining("1.0");
      assertThatThrownBy(() -> a.delta(0)).hasMessageContaining("epsilon must be > 0, got 0.0");
      assertThatThrownBy(() -> a.delta(-2)).hasMessageContaining("epsilon must be > 0, got -2.0");
    }
    assertThatThrownBy(() -> new PldAccountant(0, 1e-15)).hasMessageContaining("valueDiscretizationInterval");
  }

  @Test
  void jsonRoundTripKeepsKindSettingsAndHistory() {
    RdpAccountant rdp = new RdpAccountant(new double[] {1.5, 2, 8, 32}, RdpConversion.CLASSIC);
    rdp.add(1.1, 256.0 / 60000, 14062).add(0.7, 0.1, 3);
    PrivacyAccountant back = PrivacyAccountant.fromJson(rdp.toJson());
    assertThat(back).isInstanceOf(RdpAccountant.class);
    assertThat(((RdpAccountant) back).orders()).containsExactly(1.5, 2, 8, 32);
    assertThat(((RdpAccountant) back).conversion()).isEqualTo(RdpConversion.CLASSIC);
    assertThat(back.history()).isEqualTo(rdp.history());
    assertThat(back.epsilon(1e-5)).isEqualTo(rdp.epsilon(1e-5));

    PldAccountant pld = new PldAccountant(1e-3, 1e-14);
    pld.add(1.0, 0.01, 100);
    Path file = dir.resolve("run/accountant.json");
    pld.save(file);
    PrivacyAccountant loaded = PrivacyAccountant.load(file);
    assertThat(loaded).isInstanceOf(PldAccountant.class);
    assertThat(((PldAccountant) loaded).valueDiscretizationInterval()).isEqualTo(1e-3);
    assertThat(((PldAccountant) loaded).tailMassTruncation()).isEqualTo(1e-14);
    assertThat(loaded.history()).isEqualTo(pld.history());
    assertThat(loaded.epsilon(1e-5)).isEqualTo(pld.epsilon(1e-5));
  }

  @Test
  void aResumedRunContinuesItsHistory() {
    Path file = dir.resolve("accountant.json");
    new RdpAccountant().add(1.0, 0.01, 500).save(file);
    PrivacyAccountant resumed = PrivacyAccountant.load(file).add(1.0, 0.01, 500);
    assertThat(resumed.history()).containsExactly(new MechanismStep(1.0, 0.01, 1000));
    assertThat(resumed.epsilon(1e-5)).isEqualTo(new RdpAccountant().add(1.0, 0.01, 1000).epsilon(1e-5));
  }

  @Test
  void malformedFilesAreRejectedWithTheirName() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"format\": \"something else\"}");
    assertThatThrownBy(() -> PrivacyAccountant.load(file)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad.json");
    Files.writeString(file, "{\"format\": \"align4j-privacy-accountant\", \"accountant\": \"rdp\", \"history\": "
        + "[{\"noise_multiplier\": -1, \"sample_rate\": 0.1, \"steps\": 3}]}");
    assertThatThrownBy(() -> PrivacyAccountant.load(file)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad.json").hasMessageContaining("noiseMultiplier");
    Files.writeString(file, "not json");
    assertThatThrownBy(() -> PrivacyAccountant.load(file)).isInstanceOf(DataFormatException.class);
  }
}
