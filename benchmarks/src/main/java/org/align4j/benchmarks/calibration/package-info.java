/** Benchmarks of LOWESS and reward calibration, each against its baseline. */
package org.align4j.benchmarks.calibration;
