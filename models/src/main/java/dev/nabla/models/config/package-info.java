/**
 * Typed, validated reading of configuration maps ({@code Map<String, Object>}), shared by the layer,
 * flow, optimizer and trainer factories: {@link dev.nabla.models.config.Config}.
 */
package dev.nabla.models.config;
