/** JMH benchmarks of the memorization auditor's inner loops, each against a baseline in the same class. */
package org.align4j.benchmarks.memorization;
