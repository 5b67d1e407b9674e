/** File input and output shared by every module: atomic writes of files and directories. */
package org.align4j.core.io;
