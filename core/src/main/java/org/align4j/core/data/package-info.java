/** Examples, streaming data sets, JSONL and source-code corpus IO, and seeded split, shuffle and sampling. */
package org.align4j.core.data;
