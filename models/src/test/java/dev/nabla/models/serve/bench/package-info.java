/**
 * The serving benchmark (not exported): {@link dev.nabla.models.serve.bench.PredictorBenchMain}, the Java half of
 * {@code scripts/bench-serve} — throughput and latency percentiles of a {@link dev.nabla.models.serve.Predictor}
 * against the number of client threads, and a million requests each on a fresh virtual thread with the
 * resident memory watched.
 */
package dev.nabla.models.serve.bench;
