package dev.nabla.models.train;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.optim.LrSchedule;
import dev.nabla.models.optim.Optimizer;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One of the updates a {@link TrainingLoop} makes: a loss over its own parameter group (the
 * optimizer's parameters), the {@link Optimizer} that minimises it, an optional {@link LrSchedule}, and
 * how often it runs. A maximum-likelihood fit or a VAE has one update; a GAN has two, the discriminator
 * stepped {@code k} times per generator step:
 * <pre>{@code
 * // given: Trainable gan, Block discriminator, Block generator, UpdateLoss discriminatorLoss, UpdateLoss generatorLoss, TrainingOptions options
 * Update d = Update.of("discriminator", new Adam(discriminator.namedParameters(), 1e-3), discriminatorLoss);
 * Update g = Update.of("generator", new Adam(generator.namedParameters(), 1e-3), generatorLoss).every(2);
 * TrainingLoop loop = new TrainingLoop(gan, List.of(d, g), options);
 * }</pre>
 * In each loop step (one batch) the updates run in list order; update {@code u} runs in the steps
 * {@code s} (1-based) with {@code s mod every(u) = 0}, {@link #repeat} times in a row on the same batch.
 * Each run is: clear the group's gradients; compute the loss; stop on a NaN/∞ loss; backward; stop on a
 * NaN/∞ gradient norm of the group; clip (the loop's options); set the learning rate from the schedule
 * at the optimizer's own step count; {@code optimizer.step()}.
 *
 * <p>Updates are immutable: {@link #every}, {@link #repeat} and {@link #schedule} return changed copies.
 * The name keys the optimizer's state in checkpoints, so it must be unique in a loop and may hold only
 * letters, digits, {@code _} and {@code -}.
 */
public final class Update {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final String name;
    private final Optimizer optimizer;
    private final UpdateLoss loss;
    private final LrSchedule schedule;
    private final int every;
    private final int repeat;

    private Update(String name, Optimizer optimizer, UpdateLoss loss, LrSchedule schedule, int every, int repeat) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Update: name '" + name + "' must be letters, digits, '_' or '-'");
        }
        if (optimizer == null || loss == null) {
            throw new IllegalArgumentException("Update '" + name + "': the optimizer and the loss must not be null");
        }
        if (optimizer.parameters().isEmpty()) {
            throw new IllegalArgumentException("Update '" + name + "': the optimizer has no parameters to update");
        }
        if (every < 1 || repeat < 1) {
            throw new IllegalArgumentException("Update '" + name + "': every and repeat must be >= 1, got every="
                    + every + ", repeat=" + repeat);
        }
        this.name = name;
        this.optimizer = optimizer;
        this.loss = loss;
        this.schedule = schedule;
        this.every = every;
        this.repeat = repeat;
    }

    /** An update of {@code optimizer}'s parameters by {@code loss}, every step, once, without schedule. */
    public static Update of(String name, Optimizer optimizer, UpdateLoss loss) {
        return new Update(name, optimizer, loss, null, 1, 1);
    }

    /** This update, run only in every {@code k}-th step (steps {@code k, 2k, …}). */
    public Update every(int k) {
        return new Update(name, optimizer, loss, schedule, k, repeat);
    }

    /** This update, run {@code n} times in a row in each step it runs in. */
    public Update repeat(int n) {
        return new Update(name, optimizer, loss, schedule, every, n);
    }

    /**
     * This update with a learning-rate schedule over its optimizer's own step count (null keeps the
     * optimizer's rate, or the loop's {@link TrainingOptions#schedule()} if it has one).
     */
    public Update schedule(LrSchedule s) {
        return new Update(name, optimizer, loss, s, every, repeat);
    }

    /** The name. */
    public String name() {
        return name;
    }

    /** The optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The parameter group: the optimizer's parameters, by name. */
    public Map<String, Tensor> parameters() {
        return optimizer.parameters();
    }

    /** The loss function. */
    public UpdateLoss loss() {
        return loss;
    }

    /** The schedule, or null. */
    public LrSchedule schedule() {
        return schedule;
    }

    /** Runs in every {@code every()}-th step. */
    public int every() {
        return every;
    }

    /** Runs this many times in each step it runs in. */
    public int repeat() {
        return repeat;
    }

    /** True if the update runs in step {@code step} (1-based). */
    public boolean runsIn(long step) {
        return step % every == 0;
    }

    @Override
    public String toString() {
        return "Update(" + name + ", " + optimizer.name() + ", every " + every + ", repeat " + repeat + ")";
    }
}
