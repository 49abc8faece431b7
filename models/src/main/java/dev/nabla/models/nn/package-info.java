/**
 * Blocks: the building blocks every model family uses, knowing no family and no training loop.
 * {@link dev.nabla.models.nn.Block} is the tree of named parameters, buffers and children every layer
 * and flow is built on; {@link dev.nabla.models.nn.Init} holds the weight initializers and
 * {@link dev.nabla.models.nn.Stochastic} marks blocks that draw random numbers (their generators are
 * saved in checkpoints). The layers — {@link dev.nabla.models.nn.Linear}, activations as layers
 * ({@link dev.nabla.models.nn.Activation}), normalisation ({@link dev.nabla.models.nn.LayerNorm},
 * {@link dev.nabla.models.nn.BatchNorm}), {@link dev.nabla.models.nn.Dropout} and
 * {@link dev.nabla.models.nn.Embedding}, the convolutions {@link dev.nabla.models.nn.Conv2d} and
 * {@link dev.nabla.models.nn.ConvTranspose2d} and {@link dev.nabla.models.nn.Reshape} — implement {@link dev.nabla.api.nn.Layer}; the containers are
 * {@link dev.nabla.models.nn.Sequential} (applied in order) and {@link dev.nabla.models.nn.ModuleList}
 * (numbered children), and {@link dev.nabla.models.nn.MLP} is the one multi-layer perceptron.
 * Parameter names and layouts follow PyTorch's where PyTorch has the same layer.
 * {@link dev.nabla.models.nn.LayerFactory} builds a layer from a configuration map: what a model family
 * is handed instead of looking layer providers up itself. The first implementations of the recurrent and
 * attention contracts of {@code dev.nabla.api.nn}: the cells {@link dev.nabla.models.nn.RNNCell} (the
 * vanilla tanh/relu cell), {@link dev.nabla.models.nn.LSTMCell} (state {@link dev.nabla.models.nn.LSTMState})
 * and {@link dev.nabla.models.nn.GRUCell}, the sequence layers {@link dev.nabla.models.nn.RNN},
 * {@link dev.nabla.models.nn.LSTM} and {@link dev.nabla.models.nn.GRU} (stacked, bidirectional, variable
 * lengths; base {@link dev.nabla.models.nn.RecurrentLayer}, options {@link dev.nabla.models.nn.RecurrentOptions},
 * result {@link dev.nabla.models.nn.RecurrentOutput}), all with PyTorch's names and layouts, and
 * {@link dev.nabla.models.nn.ScaledDotProductAttention}. Multi-head attention and the Transformer:
 * {@link dev.nabla.models.nn.MultiheadAttention} (PyTorch's names, layout and mask conventions, with a
 * {@link dev.nabla.models.nn.KeyValueCache} for incremental decoding),
 * {@link dev.nabla.models.nn.TransformerEncoderLayer}, {@link dev.nabla.models.nn.TransformerDecoderLayer}
 * and their stacks {@link dev.nabla.models.nn.TransformerEncoder} and {@link dev.nabla.models.nn.TransformerDecoder}
 * (options {@link dev.nabla.models.nn.TransformerOptions}), and the position encodings
 * {@link dev.nabla.models.nn.SinusoidalPositions} and {@link dev.nabla.models.nn.LearnedPositions}.
 */
package dev.nabla.models.nn;
