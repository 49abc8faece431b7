/**
 * Flow benchmarks and measurement mains (not exported), all training through
 * {@link dev.nabla.models.train.TrainingLoop} with {@link dev.nabla.models.flows.density.MleObjective} or
 * {@link dev.nabla.models.flows.density.DistillObjective}: {@link dev.nabla.models.flows.bench.CompareFlowsMain} (the Nabla half of {@code scripts/compare-flows}),
 * {@link dev.nabla.models.flows.bench.DistillationMain} (MAF teacher → IAF student) and
 * {@link dev.nabla.models.flows.bench.FashionMnistMafMain}. Run them with
 * {@code java -p api/target/classes:provider-reference/target/classes:models/target/classes -m dev.nabla.models/<class>}.
 */
package dev.nabla.models.flows.bench;
