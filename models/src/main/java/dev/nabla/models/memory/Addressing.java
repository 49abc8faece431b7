package dev.nabla.models.memory;

import dev.nabla.api.tensor.Tensor;

import java.util.List;

/**
 * The addressing and memory operations of the Neural Turing Machine (Graves, Wayne and Danihelka, 2014,
 * section 3), batched: a memory {@code M} is {@code [batch, N, W]} ({@code N} locations of width
 * {@code W}), a weighting {@code w} is {@code [batch, N]}, a key {@code k} is {@code [batch, W]}, and the
 * scalars of a head ({@code β}, {@code g}, {@code γ}) are {@code [batch, 1]}.
 *
 * <p>One head's weighting, from the previous one {@code w_{t-1}}:
 * <pre>
 *   K(k, M_i)  = k·M_i / sqrt(‖k‖² ‖M_i‖² + δ)                   cosine similarity (δ = {@value #DELTA} guards 0)
 *   w^c_t(i)   = exp(β K(k, M_i)) / Σ_j exp(β K(k, M_j))          content addressing, key strength β ≥ 0
 *   w^g_t      = g w^c_t + (1 − g) w_{t-1}                          interpolation gate g ∈ (0, 1)
 *   w̃_t(i)     = Σ_{j=0}^{N-1} w^g_t(j) s(i − j mod N)             circular convolution, s over shifts −1, 0, +1
 *              = s(−1) w^g_t(i+1) + s(0) w^g_t(i) + s(+1) w^g_t(i−1)   (indices mod N)
 *   w_t(i)     = (w̃_t(i) + ε)^γ / Σ_j (w̃_t(j) + ε)^γ                sharpening, γ ≥ 1 (ε = {@value #EPSILON})
 * </pre>
 * The sharpening is computed as {@code softmax(γ · log(w̃ + ε))}, which is the same quantity without
 * overflow or underflow of the powers, so a weighting always sums to 1. Reading and writing:
 * <pre>
 *   r_t = Σ_i w_t(i) M_t(i)                                        read: r = wᵀ M
 *   M_t = M_{t-1} ⊙ (1 − w_t e_tᵀ) + w_t a_tᵀ                          write: erase e ∈ (0, 1)^W, then add a
 * </pre>
 */
public final class Addressing {
    /** Guard in the cosine similarity's denominator. */
    public static final double DELTA = 1e-16;
    /** Floor added before sharpening, so that {@code log} and the gradient in {@code γ} stay finite. */
    public static final double EPSILON = 1e-12;

    private Addressing() {
    }

    /**
     * The cosine similarity of the key with every location: {@code K(k, M_i)}, {@code [batch, N]}.
     *
     * @param key    {@code [batch, W]}
     * @param memory {@code [batch, N, W]}
     */
    public static Tensor cosineSimilarity(Tensor key, Tensor memory) {
        Tensor dot = memory.matmul(key.unsqueeze(2)).squeeze(2);                 // [B, N]
        Tensor memSq = memory.square().sum(2, false);                           // [B, N]
        Tensor keySq = key.square().sum(1, true);                               // [B, 1]
        return dot.div(memSq.mul(keySq).add(DELTA).sqrt());
    }

    /** Content addressing: {@code softmax_i(β K(k, M_i))}, {@code [batch, N]}; {@code beta} is {@code [batch, 1]}. */
    public static Tensor content(Tensor key, Tensor beta, Tensor memory) {
        return cosineSimilarity(key, memory).mul(beta).softmax(1);
    }

    /** The interpolation {@code g w^c + (1 − g) w_{t-1}}; {@code gate} is {@code [batch, 1]}. */
    public static Tensor interpolate(Tensor content, Tensor previous, Tensor gate) {
        return previous.add(content.sub(previous).mul(gate));
    }

    /**
     * The circular convolution of {@code w} ({@code [batch, N]}) with the shift weighting {@code shift}
     * ({@code [batch, 3]}, over the shifts −1, 0, +1): {@code s(−1) w(i+1) + s(0) w(i) + s(+1) w(i−1)},
     * indices mod {@code N}, so a weighting at the last location moves to the first with {@code s(+1) = 1}.
     */
    public static Tensor shift(Tensor w, Tensor shift) {
        int n = w.dim(1);
        if (n == 1) {
            return w.mul(shift.sum(1, true));
        }
        Tensor next = Tensor.concat(List.of(w.slice(1, 1, n), w.slice(1, 0, 1)), 1);       // w(i+1)
        Tensor previous = Tensor.concat(List.of(w.slice(1, n - 1, n), w.slice(1, 0, n - 1)), 1);  // w(i-1)
        return next.mul(shift.slice(1, 0, 1)).add(w.mul(shift.slice(1, 1, 2))).add(previous.mul(shift.slice(1, 2, 3)));
    }

    /** Sharpening: {@code (w + ε)^γ / Σ_j (w_j + ε)^γ}, as {@code softmax(γ log(w + ε))}; {@code gamma} is {@code [batch, 1]}. */
    public static Tensor sharpen(Tensor w, Tensor gamma) {
        return w.add(EPSILON).log().mul(gamma).softmax(1);
    }

    /**
     * The whole addressing of one head: content, interpolation, shift, sharpening.
     *
     * @param key      {@code [batch, W]}
     * @param beta     key strength, {@code [batch, 1]}, ≥ 0
     * @param gate     interpolation gate, {@code [batch, 1]}, in {@code [0, 1]}
     * @param shift    shift weighting over −1, 0, +1, {@code [batch, 3]}, summing to 1
     * @param gamma    sharpening exponent, {@code [batch, 1]}, ≥ 1
     * @param previous the head's previous weighting {@code [batch, N]}
     * @param memory   {@code [batch, N, W]}
     * @return the new weighting {@code [batch, N]}
     */
    public static Tensor address(Tensor key, Tensor beta, Tensor gate, Tensor shift, Tensor gamma, Tensor previous,
                                 Tensor memory) {
        return sharpen(shift(interpolate(content(key, beta, memory), previous, gate), shift), gamma);
    }

    /** The read vector {@code r = Σ_i w(i) M(i)}, {@code [batch, W]}. */
    public static Tensor read(Tensor w, Tensor memory) {
        return w.unsqueeze(1).matmul(memory).squeeze(1);
    }

    /**
     * The memory after a write: {@code M ⊙ (1 − w eᵀ) + w aᵀ}.
     *
     * @param memory {@code [batch, N, W]}
     * @param w      the write weighting {@code [batch, N]}
     * @param erase  {@code [batch, W]}, in {@code [0, 1]}
     * @param add    {@code [batch, W]}
     */
    public static Tensor write(Tensor memory, Tensor w, Tensor erase, Tensor add) {
        Tensor wc = w.unsqueeze(2);                                              // [B, N, 1]
        return memory.mul(wc.mul(erase.unsqueeze(1)).rsub(1)).add(wc.mul(add.unsqueeze(1)));
    }
}
