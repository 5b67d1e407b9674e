package org.align4j.beam;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.CharacterCodingException;
import java.util.List;
import org.align4j.core.data.DataFormatException;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.data.TextExample;
import org.align4j.core.data.Utf8LineReader;
import org.align4j.core.util.Args;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads a text corpus from JSONL files named by file patterns ({@code data/*.jsonl}, {@code gs://bucket/part-*})
 * as core's {@code JsonlDatasets.textExamples} reads one file: {@code {"id", "text", ...}} per line, blank lines
 * skipped, a missing id replaced by the line number. Each file is read whole by one worker, so every line's number
 * is known. A malformed line (bad JSON, invalid UTF-8, missing text) fails the pipeline with a
 * {@code DataFormatException} naming file and line; with {@link #skipMalformed()} it goes to {@link #MALFORMED}
 * instead and is counted (metric {@code malformedLines}). A pattern that matches no file fails at construction.
 */
public final class JsonlInput extends PTransform<PBegin, PCollectionTuple> {

  private static final long serialVersionUID = 1L;

  /** The examples read. */
  public static final TupleTag<TextExample> EXAMPLES = new TupleTag<>("examples") {};
  /** The malformed lines set aside (empty unless {@link #skipMalformed()}). */
  public static final TupleTag<MalformedLine> MALFORMED = new TupleTag<>("malformed") {};

  private final List<String> patterns;
  private final boolean skipMalformed;

  private JsonlInput(List<String> patterns, boolean skipMalformed) {
    this.patterns = patterns;
    this.skipMalformed = skipMalformed;
  }

  /** Reads the files matching {@code patterns} (at least one). */
  public static JsonlInput of(List<String> patterns) {
    List<String> copy = List.copyOf(patterns);
    Args.check(!copy.isEmpty(), "JsonlInput needs at least one file pattern");
    return new JsonlInput(copy, false);
  }

  /** A copy that sets malformed lines aside in {@link #MALFORMED} instead of failing. */
  public JsonlInput skipMalformed() {
    return new JsonlInput(patterns, true);
  }

  /**
   * Builds the read; checks first that every pattern matches a file.
   *
   * @throws IllegalArgumentException naming the pattern when it matches nothing or cannot be listed
   */
  @Override
  public PCollectionTuple expand(PBegin input) {
    FileSystems.setDefaultPipelineOptions(input.getPipeline().getOptions());
    for (String pattern : patterns) {
      MatchResult match;
      try {
        match = FileSystems.match(pattern, EmptyMatchTreatment.DISALLOW);
        match.metadata();
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("no readable file matches " + pattern + ": " + e.getMessage(), e);
      }
    }
    PCollectionTuple out = input
        .apply("Patterns", Create.of(patterns))
        .apply("Match", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("Open", FileIO.readMatches())
        .apply("Parse", ParDo.of(new ParseFn(skipMalformed)).withOutputTags(EXAMPLES, TupleTagList.of(MALFORMED)));
    out.get(EXAMPLES).setCoder(JsonCoder.of(TextExample.class));
    out.get(MALFORMED).setCoder(JsonCoder.of(MalformedLine.class));
    return out;
  }

  /** Parses one file, line by line. */
  static final class ParseFn extends DoFn<FileIO.ReadableFile, TextExample> {
    private static final long serialVersionUID = 1L;
    private final boolean skipMalformed;
    private final Counter malformed = Metrics.counter(JsonlInput.class, "malformedLines");

    ParseFn(boolean skipMalformed) {
      this.skipMalformed = skipMalformed;
    }

    @ProcessElement
    public void processElement(@Element FileIO.ReadableFile file, MultiOutputReceiver out) throws IOException {
      String source = file.getMetadata().resourceId().toString();
      try (Utf8LineReader reader = new Utf8LineReader(Channels.newInputStream(file.open()))) {
        long number = 0;
        while (true) {
          number++;
          try {
            String line = reader.readLine();
            if (line == null) {
              return;
            }
            if (!line.isBlank()) {
              out.get(EXAMPLES).output(JsonlDatasets.parseTextExample(line, source, number));
            }
          } catch (CharacterCodingException e) {
            reject(source, number, new DataFormatException(source, number, "not valid UTF-8"), out);
          } catch (DataFormatException e) {
            reject(source, number, e, out);
          }
        }
      }
    }

    private void reject(String source, long number, DataFormatException e, MultiOutputReceiver out) {
      if (!skipMalformed) {
        throw e;
      }
      malformed.inc();
      out.get(MALFORMED).output(new MalformedLine(source, number, e.getMessage()));
    }
  }
}
