/** Runnable examples that return result objects: the quickstart job ({@link org.align4j.examples.Quickstart}). */
package org.align4j.examples;
