package dev.nabla.launcher.command;

import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * How far back a gradient reaches through a recurrent cell: for a sequence {@code x_1 … x_T}, the state
 * {@code s_t = cell(x_t, s_{t−1})} from {@code s_0 = 0}, and a loss at the last step only,
 * {@code L = w · h_T}, the norms {@code ‖∂L/∂h_t‖} for {@code t = 0 … T}. By the chain rule
 * <pre>
 *   ∂L/∂s_{t−1} = (∂s_t/∂s_{t−1})ᵀ ∂L/∂s_t,
 * </pre>
 * so the gradient reaching step {@code t} is a product of {@code T − t} Jacobians: for a vanilla RNN,
 * {@code ∂h_t/∂h_{t−1} = diag(1 − h_t²) W_hh}, whose norm below 1 makes the product vanish exponentially;
 * an LSTM's cell path {@code ∂c_t/∂c_{t−1} = diag(f_t)} and a GRU's {@code ∂h_t/∂h_{t−1} ⊇ diag(z_t)} let
 * it pass nearly unchanged while the gates stay open. The product is taken one step at a time, each step
 * through the api's autograd: step {@code t} is recomputed from a leaf holding {@code s_{t−1}}, and
 * {@code Σ_k ⟨stateTensor_k(s_t), g_k⟩} is differentiated with {@code g = ∂L/∂s_t}, which gives
 * {@code ∂L/∂s_{t−1}} exactly as one backward pass through the whole sequence would.
 */
public final class GradientFlow {
    private GradientFlow() {
    }

    /**
     * {@code ‖∂L/∂h_t‖} for {@code t = 0 … T}.
     *
     * @param cell    the cell (its state's first tensor is {@code h})
     * @param inputs  {@code x_1 … x_T}, each {@code [1, inputSize]}
     * @param readout {@code w}, {@code [1, hidden]}
     * @param <S>     the cell's state type
     * @return {@code T + 1} norms, index {@code t}
     */
    public static <S> double[] norms(RecurrentCell<S> cell, List<Tensor> inputs, Tensor readout) {
        int steps = inputs.size();
        List<List<Tensor>> states = new ArrayList<>(steps + 1);   // s_0 … s_T, values only
        try (GradMode ignored = Autograd.noGrad()) {
            S s = cell.initialState(1);
            states.add(kept(cell.stateTensors(s)));
            for (Tensor x : inputs) {
                try (Scope scope = Scope.open()) {
                    s = cell.step(x, s);
                    List<Tensor> t = cell.stateTensors(s);
                    t.forEach(scope::keep);
                    states.add(t);
                }
            }
        }
        double[] norms = new double[steps + 1];
        List<Tensor> g = new ArrayList<>();
        for (Tensor t : states.get(steps)) {
            g.add(g.isEmpty() ? readout : t.factory().zeros(t.shape(), t.dtype()));
        }
        norms[steps] = norm(g.getFirst());
        for (int t = steps; t >= 1; t--) {
            List<Tensor> leaves = new ArrayList<>();
            for (Tensor v : states.get(t - 1)) {
                leaves.add(v.detach().requiresGrad(true));
            }
            S next = cell.step(inputs.get(t - 1), cell.stateOf(leaves));
            List<Tensor> out = cell.stateTensors(next);
            Tensor scalar = null;
            for (int k = 0; k < out.size(); k++) {
                Tensor term = out.get(k).mul(g.get(k)).sum();
                scalar = scalar == null ? term : scalar.add(term);
            }
            scalar.backward();
            List<Tensor> previous = new ArrayList<>();
            for (Tensor leaf : leaves) {
                Tensor grad = leaf.grad();
                previous.add(grad == null ? leaf.factory().zeros(leaf.shape(), leaf.dtype()) : grad.detach());
            }
            g = previous;
            norms[t - 1] = norm(g.getFirst());
        }
        return norms;
    }

    private static List<Tensor> kept(List<Tensor> tensors) {
        return new ArrayList<>(tensors);
    }

    private static double norm(Tensor t) {
        double s = 0;
        for (double v : t.toDoubleArray()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
