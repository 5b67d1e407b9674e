package org.align4j.beam;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.CharacterCodingException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.align4j.core.data.DataFormatException;
import org.align4j.core.data.JsonlDatasets;
import org.align4j.core.data.TextExample;
import org.align4j.core.data.Utf8LineReader;
import org.align4j.core.util.Args;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads a text corpus from JSONL files named by file patterns ({@code data/*.jsonl}, {@code gs://bucket/part-*})
 * as core's {@code JsonlDatasets.textExamples} reads one file: {@code {"id", "text", ...}} per line, blank lines
 * skipped, a missing id replaced by the line number. Each file is read whole by one worker, so every line's number
 * is known. Each example comes keyed by its position in the corpus, counted from 0 over the matched files sorted by
 * their names (full path or URI, as strings; a file matched by two patterns is read once), then their examples in
 * line order: the order in which {@code Auditor.scan} reads the concatenated files, which {@link AuditTransform}
 * needs to form the scan's batches. Numbering costs a count of each file's examples ({@code Count.perKey}) and one
 * small side input (a map from file to first position).
 *
 * <p>A malformed line (bad JSON, invalid UTF-8, missing text) fails the pipeline with a
 * {@code DataFormatException} naming file and line; with {@link #skipMalformed()} it goes to {@link #MALFORMED}
 * instead and is counted (metric {@code malformedLines}): positions count only the examples read. A pattern that matches no file fails at construction.
 */
public final class JsonlInput extends PTransform<PBegin, PCollectionTuple> {

  private static final long serialVersionUID = 1L;

  /** The examples read, keyed by their position in the corpus (see above). */
  public static final TupleTag<KV<Long, TextExample>> EXAMPLES = new TupleTag<>("examples") {};
  /** Examples keyed by their file, with their ordinal among the file's examples. */
  private static final TupleTag<KV<String, KV<Long, TextExample>>> IN_FILE = new TupleTag<>("inFile") {};
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
    PCollectionTuple parsed = input
        .apply("Patterns", Create.of(patterns))
        .apply("Match", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("Distinct files", Distinct.withRepresentativeValueFn((MatchResult.Metadata m) ->
            m.resourceId().toString()).withRepresentativeType(TypeDescriptors.strings()))
        .apply("Open", FileIO.readMatches())
        .apply("Parse", ParDo.of(new ParseFn(skipMalformed)).withOutputTags(IN_FILE, TupleTagList.of(MALFORMED)));
    PCollection<KV<String, KV<Long, TextExample>>> inFile = parsed.get(IN_FILE).setCoder(KvCoder.of(
        StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), JsonCoder.of(TextExample.class))));
    parsed.get(MALFORMED).setCoder(JsonCoder.of(MalformedLine.class));
    PCollectionView<Map<String, Long>> firsts = inFile
        .apply("Count per file", Count.perKey())
        .apply("First positions", Combine.globally(new FirstPositionsFn()).asSingletonView());
    PCollection<KV<Long, TextExample>> examples = inFile
        .apply("Position", ParDo.of(new PositionFn(firsts)).withSideInputs(firsts))
        .setCoder(KvCoder.of(VarLongCoder.of(), JsonCoder.of(TextExample.class)));
    return PCollectionTuple.of(EXAMPLES, examples).and(MALFORMED, parsed.get(MALFORMED));
  }

  /** Each file's first position: the examples of the files before it in name order. */
  static final class FirstPositionsFn extends CombineFn<KV<String, Long>, Map<String, Long>, Map<String, Long>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Map<String, Long> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<String, Long> addInput(Map<String, Long> counts, KV<String, Long> fileCount) {
      counts.merge(fileCount.getKey(), fileCount.getValue(), Long::sum);
      return counts;
    }

    @Override
    public Map<String, Long> mergeAccumulators(Iterable<Map<String, Long>> all) {
      Map<String, Long> merged = new HashMap<>();
      all.forEach(counts -> counts.forEach((file, n) -> merged.merge(file, n, Long::sum)));
      return merged;
    }

    @Override
    public Map<String, Long> extractOutput(Map<String, Long> counts) {
      Map<String, Long> firsts = new HashMap<>();
      long next = 0;
      for (Map.Entry<String, Long> e : new TreeMap<>(counts).entrySet()) {
        firsts.put(e.getKey(), next);
        next += e.getValue();
      }
      return firsts;
    }

    @Override
    public Coder<Map<String, Long>> getAccumulatorCoder(CoderRegistry registry, Coder<KV<String, Long>> in) {
      return MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    }

    @Override
    public Coder<Map<String, Long>> getDefaultOutputCoder(CoderRegistry registry, Coder<KV<String, Long>> in) {
      return MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    }
  }

  /** Turns (file, ordinal in the file) into a position in the corpus. */
  static final class PositionFn extends DoFn<KV<String, KV<Long, TextExample>>, KV<Long, TextExample>> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<Map<String, Long>> firsts;

    PositionFn(PCollectionView<Map<String, Long>> firsts) {
      this.firsts = firsts;
    }

    @ProcessElement
    public void processElement(@Element KV<String, KV<Long, TextExample>> e, OutputReceiver<KV<Long, TextExample>>
        out, ProcessContext context) {
      long first = context.sideInput(firsts).get(e.getKey());
      out.output(KV.of(first + e.getValue().getKey(), e.getValue().getValue()));
    }
  }

  /** Parses one file, line by line. */
  static final class ParseFn extends DoFn<FileIO.ReadableFile, KV<String, KV<Long, TextExample>>> {
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
        long ordinal = 0;
        while (true) {
          number++;
          try {
            String line = reader.readLine();
            if (line == null) {
              return;
            }
            if (!line.isBlank()) {
              TextExample example = JsonlDatasets.parseTextExample(line, source, number);
              out.get(IN_FILE).output(KV.of(source, KV.of(ordinal++, example)));
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
