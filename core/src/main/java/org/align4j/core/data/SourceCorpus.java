package org.align4j.core.data;

import com.google.common.collect.AbstractIterator;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A corpus of source files: a directory, or a zip or jar archive (for example a {@code -sources.jar} from Maven
 * Central), read as a streaming {@code Dataset<TextExample>}.
 *
 * <p>Each matching file becomes one example whose id is its path relative to the directory or inside the archive,
 * with {@code /} separators ({@code "org/example/Foo.java"}); examples come in sorted order of that path, the
 * same on every pass. Metadata: {@code source}, the file's full location (a file path, or
 * {@code archive.jar!/org/example/Foo.java} inside an archive), and {@code extension}, the lower-case file
 * extension without the dot. Files are read lazily one at a time; only the list of names is held in memory.
 * Texts must be UTF-8: a file that is not throws a {@link DataFormatException} naming it, and one that cannot be
 * read an {@link UncheckedIOException} naming it.
 *
 * <pre>{@code
 * Dataset<TextExample> code = SourceCorpus.open(Path.of("guava-33.3.1-jre-sources.jar"), "java");
 * }</pre>
 */
public final class SourceCorpus implements Dataset<TextExample> {

  private final Path root;
  private final Set<String> extensions;
  private final boolean archive;

  private SourceCorpus(Path root, Set<String> extensions, boolean archive) {
    this.root = root;
    this.extensions = extensions;
    this.archive = archive;
  }

  /**
   * A corpus of the files under {@code root} (a directory, zip or jar) whose extension is one of
   * {@code extensions} (case-insensitive, with or without the dot: {@code "java"}, {@code ".py"}); with no
   * extensions, every file.
   *
   * @throws IllegalArgumentException if {@code root} is neither a directory nor a readable zip or jar archive
   */
  public static SourceCorpus open(Path root, String... extensions) {
    return open(root, Arrays.asList(extensions));
  }

  /** As {@link #open(Path, String...)}, with the extensions as a collection. */
  public static SourceCorpus open(Path root, Collection<String> extensions) {
    Objects.requireNonNull(root, "root");
    Set<String> normalized = new TreeSet<>();
    for (String e : extensions) {
      String ext = (e.startsWith(".") ? e.substring(1) : e).toLowerCase(Locale.ROOT);
      if (ext.isBlank()) {
        throw new IllegalArgumentException("extensions must not be blank, got \"" + e + "\"");
      }
      normalized.add(ext);
    }
    if (Files.isDirectory(root)) {
      return new SourceCorpus(root, Set.copyOf(normalized), false);
    }
    if (!Files.isRegularFile(root)) {
      throw new IllegalArgumentException("source corpus " + root + " is neither a directory nor a file");
    }
    try (ZipFile ignored = new ZipFile(root.toFile())) {
      return new SourceCorpus(root, Set.copyOf(normalized), true);
    } catch (ZipException e) {
      throw new IllegalArgumentException("source corpus " + root + " is not a zip or jar archive", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read source corpus " + root + ": " + e.getMessage(), e);
    }
  }

  /** The directory or archive. */
  public Path root() {
    return root;
  }

  /** The lower-case extensions kept (empty: all files). */
  public Set<String> extensions() {
    return extensions;
  }

  @Override
  public String name() {
    return root.toString();
  }

  @Override
  public Stream<TextExample> stream() {
    return archive ? archiveStream() : directoryStream();
  }

  private Stream<TextExample> directoryStream() {
    List<String> names;
    try (Stream<Path> walk = Files.walk(root)) {
      names = walk.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace(root.getFileSystem().getSeparator(), "/"))
          .filter(this::accepts)
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list source corpus " + root + ": " + e.getMessage(), e);
    }
    Iterator<String> it = names.iterator();
    return ClosingStreams.of(new AbstractIterator<TextExample>() {
      @Override
      protected TextExample computeNext() {
        if (!it.hasNext()) {
          return endOfData();
        }
        String name = it.next();
        Path file = root.resolve(name);
        try (InputStream in = Files.newInputStream(file)) {
          return example(name, file.toString(), in);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
      }
    }, () -> {});
  }

  private Stream<TextExample> archiveStream() {
    ZipFile zip;
    try {
      zip = new ZipFile(root.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + root + ": " + e.getMessage(), e);
    }
    List<ZipEntry> entries = new ArrayList<>();
    try {
      zip.stream().filter(e -> !e.isDirectory() && accepts(e.getName())).forEach(entries::add);
    } catch (RuntimeException e) {
      closeQuietly(zip, e);
      throw e;
    }
    entries.sort(Comparator.comparing(ZipEntry::getName));
    Iterator<ZipEntry> it = entries.iterator();
    return ClosingStreams.of(new AbstractIterator<TextExample>() {
      @Override
      protected TextExample computeNext() {
        if (!it.hasNext()) {
          return endOfData();
        }
        ZipEntry entry = it.next();
        String source = root + "!/" + entry.getName();
        try (InputStream in = zip.getInputStream(entry)) {
          return example(entry.getName(), source, in);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
      }
    }, zip);
  }

  private TextExample example(String id, String source, InputStream in) throws IOException {
    byte[] bytes = in.readAllBytes();
    String text;
    try {
      text = Utf8LineReader.decode(bytes, bytes.length);
    } catch (CharacterCodingException e) {
      throw new DataFormatException(source, "not valid UTF-8 text");
    }
    return new TextExample(id, text, Map.of("source", source, "extension", extension(id)));
  }

  private boolean accepts(String name) {
    return extensions.isEmpty() || extensions.contains(extension(name));
  }

  private static String extension(String name) {
    String file = name.substring(name.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    return dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static void closeQuietly(Closeable c, RuntimeException failure) {
    try {
      c.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public String toString() {
    return "SourceCorpus(" + root + ", extensions=" + extensions + ")";
  }
}
