/** Small shared utilities: argument validation with messages that name the parameter and value. */
package org.align4j.core.util;
