/** JMH benchmarks of the privacy accountants, each against a straightforward baseline in the same class. */
package org.align4j.benchmarks.privacy;
