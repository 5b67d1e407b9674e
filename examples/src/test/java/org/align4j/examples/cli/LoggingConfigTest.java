package org.align4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.align4j.core.train.SftTrainer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The command line's logging configuration (simplelogger.properties) silences the known noise and nothing else. */
class LoggingConfigTest {

  @Test
  void nd4jDuplicateOpMappingWarningsAreSilencedButErrorsShown() {
    Logger mapping = LoggerFactory.getLogger("org.nd4j.imports.converters.ImportClassMapping");
    assertThat(mapping.isWarnEnabled()).isFalse();
    assertThat(mapping.isErrorEnabled()).isTrue();
  }

  @Test
  void theTrainersTruncationWarningGivesWayToTheCommandsOwnNote() {
    assertThat(LoggerFactory.getLogger(SftTrainer.class).isWarnEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger("org.align4j.memorization.Auditor").isWarnEnabled()).isTrue();
  }
}
