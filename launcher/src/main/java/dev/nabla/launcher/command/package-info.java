/**
 * The {@code nabla} subcommands: {@code backends}, {@code list}, {@code train}, {@code sample} and
 * {@code eval}. Each is created by Guice through picocli and receives the registries it needs.
 */
package dev.nabla.launcher.command;
