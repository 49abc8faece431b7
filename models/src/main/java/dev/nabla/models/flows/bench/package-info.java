/**
 * Flow benchmarks and measurement mains (not exported): {@link dev.nabla.models.flows.bench.FlowTraining}
 * (a minimal maximum-likelihood loop with deterministic cyclic batches),
 * {@link dev.nabla.models.flows.bench.CompareFlowsMain} (the Nabla half of {@code scripts/compare-flows}),
 * {@link dev.nabla.models.flows.bench.DistillationMain} (MAF teacher → IAF student) and
 * {@link dev.nabla.models.flows.bench.FashionMnistMafMain}. Run them with
 * {@code java -p api/target/classes:provider-reference/target/classes:models/target/classes -m dev.nabla.models/<class>}.
 */
package dev.nabla.models.flows.bench;
