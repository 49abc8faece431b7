package dev.nabla.models.checkpoint;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.NablaException;

import java.util.Arrays;
import java.util.Map;

/**
 * Checks of loaded tensors' values: what a reader calls before it trusts weights it did not train.
 */
public final class TensorChecks {
    private TensorChecks() {
    }

    /**
     * The name of the first floating-point tensor of {@code tensors} holding NaN or ±∞, or null when all are
     * finite: computed on the tensors' own backend ({@code x − x} is 0 for finite values and NaN otherwise),
     * one reduction per tensor and a single read of their total, so a training loop can afford it every step.
     * Only when the total is not 0 are the tensors read one by one to name the culprit.
     */
    public static String firstNonFinite(Map<String, ? extends Tensor> tensors) {
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            // one pass each: a sum is finite only if every term is (a NaN or ±∞ term makes it NaN or ±∞); a
            // sum of finite values that overflows is sorted out by the exact check below
            boolean allFinite = true;
            for (Tensor t : tensors.values()) {
                if (t.dtype().isFloatingPoint() && t.numel() > 0 && !Double.isFinite(t.sum().item())) {
                    allFinite = false;
                    break;
                }
            }
            if (allFinite) {
                return null;
            }
            for (var e : tensors.entrySet()) {
                Tensor t = e.getValue();
                if (t.dtype().isFloatingPoint() && t.numel() > 0 && t.sub(t).sum().item() != 0) {
                    return e.getKey();
                }
            }
            return null;
        }
    }

    /**
     * Refuses NaN and ±∞ in the floating-point tensors of {@code tensors} (integer and boolean tensors
     * are skipped), checking them in map order.
     *
     * @param source what the tensors are, for the message (e.g. {@code "checkpoint runs/maf/checkpoint.safetensors"})
     * @throws NablaException naming the source, the first tensor holding such values, its shape, how many
     *                        of its values are not finite, and the first one with its index
     */
    public static void requireFinite(String source, Map<String, ? extends Tensor> tensors) {
        for (var e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long bad = 0;
            int first = -1;
            double firstValue = 0;
            switch (t.dtype()) {
                case FLOAT32 -> {
                    float[] v = t.toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        if (!Float.isFinite(v[i])) {
                            if (bad++ == 0) {
                                first = i;
                                firstValue = v[i];
                            }
                        }
                    }
                }
                case FLOAT64 -> {
                    double[] v = t.toDoubleArray();
                    for (int i = 0; i < v.length; i++) {
                        if (!Double.isFinite(v[i])) {
                            if (bad++ == 0) {
                                first = i;
                                firstValue = v[i];
                            }
                        }
                    }
                }
                default -> {
                    continue;
                }
            }
            if (bad > 0) {
                int[] dims = t.shape().dims();
                throw new NablaException(source + ": tensor " + Json.quote(e.getKey()) + " " + Arrays.toString(dims)
                        + " holds " + bad + " non-finite value" + (bad == 1 ? "" : "s") + " (the first, " + firstValue
                        + ", at " + Arrays.toString(index(first, dims)) + "); the run diverged or the file was edited:"
                        + " use an earlier checkpoint or train again");
            }
        }
    }

    private static int[] index(int flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            if (dims[d] > 0) {
                idx[d] = flat % dims[d];
                flat /= dims[d];
            }
        }
        return idx;
    }
}
