/**
 * The embedded default data: {@link org.align4j.core.data.synthetic.SyntheticCodeCorpus}, a seeded generator of a
 * small-function code corpus with controlled duplication counts and planted PII-like values, shipped as code.
 */
package org.align4j.core.data.synthetic;
