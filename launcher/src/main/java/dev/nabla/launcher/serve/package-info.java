/**
 * {@code nabla serve}'s HTTP layer: {@link dev.nabla.launcher.serve.PredictionServer}, the JDK's own
 * {@code com.sun.net.httpserver} with a virtual thread per request, answering JSON in front of a
 * {@link dev.nabla.models.serve.Predictor}, and its {@link dev.nabla.launcher.serve.ServeMetrics}.
 */
package dev.nabla.launcher.serve;
