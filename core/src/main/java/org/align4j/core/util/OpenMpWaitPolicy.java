package org.align4j.core.util;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether ND4J's OpenMP threads wait passively between parallel regions, and, where this process can still choose,
 * the choice that they do.
 *
 * <p>OpenMP reads {@code OMP_WAIT_POLICY} once, when its runtime ({@code libgomp}) loads with ND4J's native library.
 * By default its threads spin after each parallel region and, on a machine with few cores, take them from the BLAS
 * threads that run next: a d_model 256 training step took 2.5 s so and 1.9 s with the passive policy, which lets two
 * BLAS threads pay (see {@code BlasThreads}); decoding took the same time either way. So the first use of this class
 * sets the variable to {@code PASSIVE} in the process's environment ({@code setenv} through JNA, which ND4J already
 * depends on), as PyTorch users do before importing it, unless:
 * <ul>
 *   <li>the variable is set already (the user's choice is kept, whatever it is);
 *   <li>the system property {@value #PROPERTY} is {@code false};
 *   <li>OpenMP is already loaded (it is then too late; the policy is what the environment said at start-up), or the
 *       process is not on Linux, where this can be checked.
 * </ul>
 * {@link #passive()} says which policy is in force. {@link Nd4jBackend#require}, which the library calls before
 * its first use of ND4J, applies it.
 */
public final class OpenMpWaitPolicy {

  /** The system property that, set to {@code false}, leaves the environment as it is. */
  public static final String PROPERTY = "align4j.passiveOpenMp";

  static final String VARIABLE = "OMP_WAIT_POLICY";

  private static final boolean PASSIVE = choose();

  private OpenMpWaitPolicy() {}

  /** Whether ND4J's OpenMP threads wait passively (after setting the policy, when this process still could). */
  public static boolean passive() {
    return PASSIVE;
  }

  private static boolean choose() {
    String given = System.getenv(VARIABLE);
    if (given != null) {
      return given.trim().toUpperCase(Locale.ROOT).equals("PASSIVE");
    }
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))
        || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
        || openMpLoaded(Path.of("/proc/self/maps"))) {
      return false;
    }
    try {
      CLibrary c = (CLibrary) Native.loadLibrary("c", CLibrary.class);
      return c.setenv(VARIABLE, "PASSIVE", 0) == 0;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /** Whether the process's memory map (Linux's {@code /proc/self/maps}) lists an OpenMP runtime; true if unreadable. */
  static boolean openMpLoaded(Path maps) {
    try {
      String text = Files.readString(maps, StandardCharsets.ISO_8859_1);
      return text.contains("libgomp") || text.contains("libiomp") || text.contains("libomp");
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** The C library's {@code setenv}. */
  interface CLibrary extends Library {
    int setenv(String name, String value, int overwrite);
  }
}
