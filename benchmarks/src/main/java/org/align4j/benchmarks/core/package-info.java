/** Benchmarks of the language-model core: training throughput (MFU) and cached generation. */
package org.align4j.benchmarks.core;
