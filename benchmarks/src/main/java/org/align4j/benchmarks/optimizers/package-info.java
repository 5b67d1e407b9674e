/** JMH benchmarks of the preference losses and the RL math, each against a baseline in the same class. */
package org.align4j.benchmarks.optimizers;
