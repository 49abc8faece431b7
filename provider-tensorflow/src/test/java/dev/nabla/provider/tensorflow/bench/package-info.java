/**
 * A benchmark main class ({@code scripts/bench-tensorflow}) comparing every backend found on the module
 * path, TensorFlow included; not exported.
 */
package dev.nabla.provider.tensorflow.bench;
