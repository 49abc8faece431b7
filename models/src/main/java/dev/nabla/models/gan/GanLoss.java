package dev.nabla.models.gan;

import dev.nabla.api.tensor.Tensor;

import java.util.List;
import java.util.Locale;

/**
 * The losses of the GAN game, written with binary cross-entropy on the discriminator's logits
 * {@code a = logit D(x)} (real) and {@code b = logit D(G(z))} (generated), {@code D = σ(logit)}.
 *
 * <p>The value function is {@code V(D, G) = E_x[log D(x)] + E_z[log(1 − D(G(z)))]}. With
 * {@code BCE(p, y) = −[y log p + (1 − y) log(1 − p)]}, real examples labelled 1 give {@code −log D(x)}
 * and generated ones labelled 0 give {@code −log(1 − D(G(z)))}, so the discriminator, which maximises
 * {@code V}, minimises
 * <pre>
 *   L_D = E_x[BCE(D(x), 1 − s)] + E_z[BCE(D(G(z)), 0)]
 *       = E_x[(1 − s)·softplus(−a) + s·softplus(a)] + E_z[softplus(b)]        (−log σ(a) = softplus(−a))
 * </pre>
 * with one-sided label smoothing {@code s} (the real label is {@code 1 − s}; the fake label stays 0;
 * {@code s = 0} is the game itself, {@code L_D = −V}). The generator either
 * <ul>
 *   <li>{@link #MINIMAX} (saturating): minimises {@code V}'s term of its own,
 *       {@code L_G = E_z[log(1 − D(G(z)))] = −E_z[softplus(b)] = −E_z[BCE(D(G(z)), 0)]}. Its gradient
 *       {@code ∂L_G/∂b = −σ(b) = −D(G(z))} vanishes as the discriminator rejects the samples
 *       ({@code D(G(z)) → 0}), which is early in training;</li>
 *   <li>{@link #NON_SATURATING}: maximises {@code log D(G(z))}, i.e. minimises
 *       {@code L_G = −E_z[log D(G(z))] = E_z[softplus(−b)] = E_z[BCE(D(G(z)), 1)]} (the generated samples
 *       labelled real). Same fixed point, but {@code ∂L_G/∂b = σ(b) − 1 → −1} as {@code D(G(z)) → 0}.</li>
 * </ul>
 * <p>{@link #HINGE} (SAGAN's, after Lim &amp; Ye 2017 and Miyato et al. 2018) changes both players: with
 * {@code D(·)} the raw score (the logit, no sigmoid),
 * <pre>
 *   L_D = E_x[relu(1 − D(x))] + E_z[relu(1 + D(G(z)))]
 *   L_G = −E_z[D(G(z))]
 * </pre>
 * so the discriminator stops pushing an example once it is on the right side of the margin (score ≥ 1 for
 * real, ≤ −1 for generated) and the generator's gradient {@code ∂L_G/∂b = −1/n} never vanishes. Label
 * smoothing does not apply to it ({@link GanConfig} refuses {@code smooth} with {@code hinge}).
 *
 * All means are over the batch; the logits are {@code [n, 1]} (or {@code [n]}).
 */
public enum GanLoss {
    /** The saturating generator loss {@code E[log(1 − D(G(z)))]}. */
    MINIMAX("minimax"),
    /** The non-saturating generator loss {@code −E[log D(G(z))]}. */
    NON_SATURATING("nonsaturating"),
    /** The hinge loss of both players: {@code L_D = E[relu(1 − D(x))] + E[relu(1 + D(G(z)))]}, {@code L_G = −E[D(G(z))]}. */
    HINGE("hinge");

    private final String key;

    GanLoss(String key) {
        this.key = key;
    }

    /** The name {@code --set loss=} takes. */
    public String key() {
        return key;
    }

    /** The names {@code --set loss=} takes. */
    public static List<String> names() {
        return List.of(MINIMAX.key, NON_SATURATING.key, HINGE.key);
    }

    /**
     * The loss called {@code name} ({@code minimax}, {@code nonsaturating}; {@code non-saturating} too).
     *
     * @throws IllegalArgumentException naming the unknown loss and the valid ones
     */
    public static GanLoss parse(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (GanLoss l : values()) {
            if (l.key.equals(n)) {
                return l;
            }
        }
        throw new IllegalArgumentException("gan: unknown loss '" + name + "'; valid: " + String.join(", ", names()));
    }

    /**
     * The discriminator's loss {@code L_D} from the logits of real and generated examples, with one-sided
     * label smoothing {@code s} (real label {@code 1 − s}).
     */
    public static Tensor discriminator(Tensor realLogits, Tensor fakeLogits, double smoothing) {
        Tensor real = realLogits.neg().softplus();
        if (smoothing != 0) {
            real = real.mul(1 - smoothing).add(realLogits.softplus().mul(smoothing));
        }
        return real.mean().add(fakeLogits.softplus().mean());
    }

    /**
     * The discriminator's loss {@code L_D} of this game: the hinge loss for {@link #HINGE}, the binary
     * cross-entropy of {@link #discriminator(Tensor, Tensor, double)} (with smoothing {@code s}) otherwise.
     */
    public Tensor discriminatorLoss(Tensor realScores, Tensor fakeScores, double smoothing) {
        if (this == HINGE) {
            return hingeDiscriminator(realScores, fakeScores);
        }
        return discriminator(realScores, fakeScores, smoothing);
    }

    /** The hinge loss of the discriminator, {@code E_x[relu(1 − D(x))] + E_z[relu(1 + D(G(z)))]}, on raw scores. */
    public static Tensor hingeDiscriminator(Tensor realScores, Tensor fakeScores) {
        return realScores.rsub(1.0).relu().mean().add(fakeScores.add(1.0).relu().mean());
    }

    /** This generator loss {@code L_G} from the logits (raw scores) of generated examples. */
    public Tensor generator(Tensor fakeLogits) {
        return switch (this) {
            case MINIMAX -> fakeLogits.softplus().mean().neg();
            case NON_SATURATING -> fakeLogits.neg().softplus().mean();
            case HINGE -> fakeLogits.mean().neg();
        };
    }
}
