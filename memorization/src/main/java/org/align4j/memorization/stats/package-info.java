/** Small statistics for reports: proportions with Wilson score intervals and fixed-bin histograms. */
package org.align4j.memorization.stats;
