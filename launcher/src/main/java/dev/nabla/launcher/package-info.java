/**
 * The entry point of the {@code nabla} command ({@link dev.nabla.launcher.Main}), its top-level command
 * and the one exception type for user mistakes ({@link dev.nabla.launcher.UsageException}, exit status 2).
 */
package dev.nabla.launcher;
