/**
 * The example plugin: a layer, a flow and a trainer, and the three providers that make them
 * constructible by name.
 *
 * <table>
 *   <caption>what the plugin offers</caption>
 *   <tr><th>SPI</th><th>name</th><th>class</th><th>keys (default)</th></tr>
 *   <tr><td>{@link dev.nabla.api.spi.LayerProvider}</td><td>{@code residual_mlp}</td><td>{@link ResidualMlp}</td>
 *       <td>{@code in}, {@code out} (required), {@code hidden} (64), {@code layers} (2), {@code activation}
 *       (relu), {@code dtype} (float32)</td></tr>
 *   <tr><td>{@link dev.nabla.api.spi.FlowProvider}</td><td>{@code sinh_arcsinh}</td><td>{@link SinhArcsinh}</td>
 *       <td>{@code dim} (required), {@code dtype} (float32)</td></tr>
 *   <tr><td>{@link dev.nabla.api.spi.TrainerProvider}</td><td>{@code sgd_momentum}</td><td>{@link MomentumTrainer}</td>
 *       <td>{@code lr} (0.01), {@code batchSize} (64), {@code maxSteps} (0 = none), {@code momentum} (0.9),
 *       {@code nesterov} (false), {@code weightDecay} (0), {@code clipNorm} (0 = off)</td></tr>
 * </table>
 *
 * <p>Values may be numbers or the strings a command line gives ({@code --set hidden=32}). An unknown key
 * or a bad value is refused with an {@link java.lang.IllegalArgumentException} that names the key and the
 * valid keys. What does not live here: anything from {@code dev.nabla.models} — a plugin sees only the
 * api, so the layer builds its own linear maps and the trainer its own optimizer.
 */
package org.example.nabla.plugin;
