/**
 * Small shared utilities: argument validation with messages that name the parameter and value, and the stable
 * scalar log-probability functions ({@link org.align4j.core.util.StableMath}) every module uses.
 */
package org.align4j.core.util;
