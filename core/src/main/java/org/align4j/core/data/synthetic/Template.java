package org.align4j.core.data.synthetic;

import java.util.Random;

/**
 * A generator of one kind of small function or class.
 *
 * @param name the template's name, recorded in each example's {@code template} metadata
 * @param language {@code "python"} or {@code "java"}
 * @param renderer writes the code
 */
record Template(String name, String language, Renderer renderer) {

  /** Writes one random instance of a template. */
  @FunctionalInterface
  interface Renderer {
    /**
     * The code, drawn from {@code r}; when {@code pii} is not null it appears verbatim in the code, after the
     * first line.
     */
    String render(Random r, Pii pii);
  }

  /** One random instance. */
  String render(Random r, Pii pii) {
    return renderer.render(r, pii);
  }
}
