package dev.nabla.models.vae;

import java.util.List;

/**
 * The observation model {@code p_θ(x|z)} of a {@link VariationalAutoencoder}, given the decoder's output
 * {@code f(z)} per pixel ({@code D} pixels, summed over):
 * <ul>
 *   <li>{@link #BERNOULLI}: {@code f(z)} are logits, for binary pixels,
 *       {@code log p(x|z) = Σ_i x_i·f_i − softplus(f_i)} (minus the binary cross-entropy with logits);</li>
 *   <li>{@link #GAUSSIAN} with a fixed standard deviation {@code σ}: mean {@code μ = sigmoid(f(z))},
 *       {@code log p(x|z) = −Σ_i (x_i − μ_i)²/(2σ²) − D·log(σ·sqrt(2π))} — the squared-error term
 *       {@code ‖x − μ‖²} up to scale and a constant;</li>
 *   <li>{@link #GAUSSIAN_LEARNED}: as {@link #GAUSSIAN} with a learned per-pixel {@code log σ_i}
 *       (parameter {@code log_sigma [D]}, clamped to {@code [−6, 2]}):
 *       {@code log p(x|z) = −Σ_i [(x_i − μ_i)²/(2σ_i²) + log σ_i + ½·log 2π]}.</li>
 * </ul>
 */
public enum Decoder {
    /** Binary pixels, logits out. */
    BERNOULLI("bernoulli"),
    /** Continuous pixels, Gaussian of fixed variance. */
    GAUSSIAN("gaussian"),
    /** Continuous pixels, Gaussian with a learned per-pixel variance. */
    GAUSSIAN_LEARNED("gaussian-learned");

    /** The key values, as {@code --set decoder=…} takes them. */
    public static final List<String> NAMES = List.of("bernoulli", "gaussian", "gaussian-learned");

    private final String key;

    Decoder(String key) {
        this.key = key;
    }

    /** The name {@code --set decoder=} takes. */
    public String key() {
        return key;
    }

    /**
     * The decoder named {@code name}.
     *
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static Decoder parse(String name) {
        for (Decoder d : values()) {
            if (d.key.equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("vae: decoder must be one of " + String.join(", ", NAMES) + ", got '" + name + "'");
    }

    /** True for the Bernoulli decoder, which reads binarised pixels. */
    public boolean binary() {
        return this == BERNOULLI;
    }
}
