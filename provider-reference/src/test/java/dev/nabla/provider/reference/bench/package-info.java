/**
 * A benchmark main class for the reference backend ({@code scripts/bench-reference}); not exported.
 */
package dev.nabla.provider.reference.bench;
