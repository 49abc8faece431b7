/**
 * The example plugin: a layer, a flow and a trainer with the three providers that make them
 * constructible by name, and a small model family.
 *
 * <table>
 *   <caption>what the plugin offers</caption>
 *   <tr><th>service</th><th>name</th><th>class</th><th>keys (default)</th></tr>
 *   <tr><td>{@link dev.nabla.api.spi.LayerProvider}</td><td>{@code residual_mlp}</td><td>{@link ResidualMlp}</td>
 *       <td>{@code in}, {@code out} (required), {@code hidden} (64), {@code layers} (2), {@code activation}
 *       (relu), {@code dtype} (float32)</td></tr>
 *   <tr><td>{@link dev.nabla.api.spi.FlowProvider}</td><td>{@code sinh_arcsinh}</td><td>{@link SinhArcsinh}</td>
 *       <td>{@code dim} (required), {@code dtype} (float32)</td></tr>
 *   <tr><td>{@link dev.nabla.api.spi.TrainerProvider}</td><td>{@code sgd_momentum}</td><td>{@link MomentumTrainer}</td>
 *       <td>{@code lr} (0.01), {@code momentum} (0.9), {@code nesterov} (false), {@code weightDecay} (0), and the
 *       training loop's ({@code batchSize}, {@code maxSteps}, {@code clipNorm}, …)</td></tr>
 *   <tr><td>{@link dev.nabla.models.family.ModelFamily}</td><td>{@code regression}: model {@code mlp_regressor}
 *       on data set {@code sine}</td><td>{@link RegressionFamily}, {@link RegressionModel}, {@link SineData}</td>
 *       <td>{@code hidden} (32), {@code layers} (2), {@code activation} (tanh)</td></tr>
 * </table>
 *
 * <p>Values may be numbers or the strings a command line gives ({@code --set hidden=32}). An unknown key
 * or a bad value is refused with an {@link java.lang.IllegalArgumentException} that names the key and the
 * valid keys. The plugin uses the model library's activations, MLP, training loop and family interface;
 * it never names a provider.
 */
package org.example.nabla.plugin;
