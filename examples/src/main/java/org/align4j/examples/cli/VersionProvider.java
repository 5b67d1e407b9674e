package org.align4j.examples.cli;

import org.align4j.core.provenance.LibraryVersion;
import picocli.CommandLine;

/** Reports the library version for {@code --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"align4j " + LibraryVersion.get()};
  }
}
