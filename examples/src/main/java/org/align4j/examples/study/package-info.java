/**
 * Studies: commands that chain training stages and audit each one, reproducing the research align4j serves, each
 * callable from code as a config and a result record. {@link org.align4j.examples.study.RlhfMemorizationStudy}
 * measures how training data memorization surfaces and propagates through RLHF and IPO (Pappu et al. 2024).
 */
package org.align4j.examples.study;
