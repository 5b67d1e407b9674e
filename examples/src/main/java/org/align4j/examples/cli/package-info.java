/** The {@code align4j} command line (picocli): one class per command, registered in {@link org.align4j.examples.cli.Align4jCli}. */
package org.align4j.examples.cli;
