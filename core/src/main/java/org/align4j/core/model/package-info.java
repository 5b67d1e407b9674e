/** The {@link org.align4j.core.model.LanguageModel} interface, generation settings, and the SameDiff transformer. */
package org.align4j.core.model;
