package org.align4j.beam;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;

/**
 * A {@code DoFn} that buffers the elements of a bundle and processes them in batches of {@code batchSize}: a batch
 * runs when the buffer is full and at the bundle's end. Its input must be in the global window.
 *
 * @param <I> input elements
 * @param <O> outputs, one per input, in the same order
 */
abstract class BatchingFn<I, O> extends DoFn<I, O> {

  private static final long serialVersionUID = 1L;
  private final int batchSize;
  private transient List<I> buffer;

  BatchingFn(int batchSize) {
    this.batchSize = batchSize;
  }

  /** Processes one batch; returns one output per input, in order. */
  abstract List<O> process(List<I> batch);

  @StartBundle
  public void startBundle() {
    buffer = new ArrayList<>(batchSize);
  }

  @ProcessElement
  public void processElement(@Element I element, OutputReceiver<O> out) {
    buffer.add(element);
    if (buffer.size() >= batchSize) {
      flush(out::output);
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    flush(o -> context.output(o, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
  }

  private void flush(Consumer<O> out) {
    if (buffer.isEmpty()) {
      return;
    }
    List<O> outputs = process(List.copyOf(buffer));
    if (outputs.size() != buffer.size()) {
      throw new IllegalStateException("a batch of " + buffer.size() + " gave " + outputs.size() + " outputs");
    }
    outputs.forEach(out);
    buffer.clear();
  }
}
