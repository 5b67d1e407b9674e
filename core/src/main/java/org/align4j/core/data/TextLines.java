package org.align4j.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the lines of a text file as strict UTF-8. Invalid bytes are reported as
 * {@code FILE:LINE: not valid UTF-8} (a {@link DataFormatException}), the way the JSONL readers report them.
 */
public final class TextLines {

  private TextLines() {}

  /**
   * All lines of {@code path}, without terminators ({@code \n} or {@code \r\n}).
   *
   * @throws DataFormatException naming the file and line of bytes that are not valid UTF-8
   * @throws UncheckedIOException saying why the file cannot be read (no such file, a directory, permission denied)
   */
  public static List<String> read(Path path) {
    String source = path.toString();
    if (Files.isDirectory(path)) {
      throw new UncheckedIOException(new IOException("cannot read " + source + ": it is a directory"));
    }
    List<String> lines = new ArrayList<>();
    try (Utf8LineReader reader = new Utf8LineReader(Files.newInputStream(path))) {
      while (true) {
        String line;
        try {
          line = reader.readLine();
        } catch (CharacterCodingException e) {
          throw new DataFormatException(source, lines.size() + 1, "not valid UTF-8");
        }
        if (line == null) {
          return lines;
        }
        lines.add(line);
      }
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("cannot read " + source + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new UncheckedIOException("cannot read " + source + ": permission denied", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }
}
