package dev.nabla.models.memory;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.LSTM;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.RecurrentOptions;

/**
 * The baseline of the copy task: a stacked LSTM (PyTorch's {@code nn.LSTM}, batch first) read by a
 * linear map, {@code y_t = W_y h^{(L)}_t + b_y}, the logits of the output bits at every step. Graves et al.
 * (2014) compare the NTM with three layers of 256 units; parameters {@code lstm.*} and {@code output.*}.
 */
public final class CopyLstm extends Block implements CopyNetwork {
    private final int inputSize;
    private final LSTM lstm;
    private final Linear output;

    /**
     * The baseline, freshly initialised.
     *
     * @param f          where the parameters live
     * @param random     the generator to draw them from
     * @param inputSize  input channels
     * @param outputSize logits per step
     * @param hidden     units per layer
     * @param layers     stacked layers
     * @param dtype      float32 or float64
     */
    public CopyLstm(TensorFactory f, Generator random, int inputSize, int outputSize, int hidden, int layers, DType dtype) {
        this.inputSize = inputSize;
        this.lstm = child("lstm", new LSTM(f, random, inputSize, hidden,
                RecurrentOptions.defaults().numLayers(layers).batchFirst(true).dtype(dtype)));
        this.output = child("output", new Linear(f, random, hidden, outputSize, true, dtype));
    }

    @Override
    public Tensor logits(Tensor input) {
        if (input.rank() != 3 || input.dim(2) != inputSize) {
            throw new ShapeException("CopyLstm: input " + input.shape() + " is not [batch, time, " + inputSize + "]");
        }
        return output.forward(lstm.forward(input).output());
    }
}
