package dev.nabla.api.tensor;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.NablaException;
import dev.nabla.api.types.ShapeException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation, written once for every backend.
 *
 * <p>While gradients are enabled ({@link GradMode}), each operation on a tensor that
 * {@link Tensor#requiresGrad() requires grad} records a node holding its inputs and its backward rule.
 * {@link #grad} walks the recorded graph from an output back to any set of tensors in reverse
 * topological order, applying the chain rule
 * {@code ∂L/∂x = Σ_{y = f(…x…)} (∂y/∂x)ᵀ · ∂L/∂y}; {@link Tensor#backward()} does the same and
 * accumulates into the {@link Tensor#grad() grad} of every leaf, so gradients add up across calls
 * until {@link Tensor#zeroGrad()}.
 *
 * <p>The graph lives in the tensors themselves — there is no global tape — so recording is
 * thread-confined and needs no "one collector at a time" rule. Backward rules are tensor operations:
 * with {@code createGraph} they are recorded too, which is what higher-order gradients need.
 */
public final class Autograd {
    private Autograd() {
    }

    /** Disables recording on this thread until the returned mode is closed. */
    public static GradMode noGrad() {
        return new GradMode(false);
    }

    /** Enables recording on this thread until the returned mode is closed (e.g. inside a no-grad block). */
    public static GradMode enableGrad() {
        return new GradMode(true);
    }

    /**
     * Gradients of a scalar {@code output} with respect to each of {@code inputs} (leaves or
     * intermediate results), without touching any tensor's {@code grad}.
     *
     * <p>Every input must be part of the recorded graph of {@code output}, as in PyTorch: an input that
     * does not require grad, or that {@code output} was not computed from, is refused — usually it means
     * a parameter that was left out of the loss, or a tensor that was never marked
     * {@link Tensor#requiresGrad(boolean)}. Pass {@code allowUnused} to
     * {@link #grad(Tensor, List, Tensor, boolean, boolean)} to get zeros for those instead. (An input
     * the output depends on only through ops with a zero gradient, such as {@code sign}, gets zeros.)
     *
     * @throws ShapeException if {@code output} is not a scalar (one element)
     * @throws NablaException if an input does not require grad or is not used to compute {@code output}
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs) {
        return grad(output, inputs, null, false, false);
    }

    /**
     * Gradients of {@code output} with respect to {@code inputs}, seeded with {@code seed} (the
     * gradient of some scalar with respect to {@code output}; null means ones, allowed only for a
     * scalar output). With {@code createGraph} the backward pass is itself recorded, so the returned
     * gradients can be differentiated again. Unused inputs are refused, as by {@link #grad(Tensor, List)}.
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, Tensor seed, boolean createGraph) {
        return grad(output, inputs, seed, createGraph, false);
    }

    /**
     * As {@link #grad(Tensor, List, Tensor, boolean)}; with {@code allowUnused} an input that does not
     * require grad or that {@code output} does not depend on gets a zero tensor of its shape and dtype
     * (never null) instead of an error — PyTorch's {@code allow_unused=True, materialize_grads=True}.
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, Tensor seed, boolean createGraph,
                                    boolean allowUnused) {
        for (Tensor in : inputs) {
            in.checkLive("grad");
        }
        Set<Tensor> reached = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Tensor, Tensor> grads = run("grad", output, seed, createGraph, false, inputs, reached);
        List<Tensor> result = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Tensor in = inputs.get(i);
            if (!allowUnused && !reached.contains(in)) {
                throw new NablaException("grad: input " + i + " " + in.describe() + (in.requiresGrad()
                        ? " is not used to compute the output " + output.describe() + " (it is not in its graph)"
                        : " does not require grad, so the output " + output.describe() + " was not recorded as"
                                + " depending on it; call requiresGrad(true) on it before computing the output")
                        + "; pass allowUnused = true to Autograd.grad to get zeros for such inputs");
            }
            Tensor g = grads.get(in);
            if (g == null) {
                g = Ops.zerosLike(in);
            }
            result.add(g);
        }
        return result;
    }

    /** Implements {@link Tensor#backward(Tensor)}: accumulates into the grad of every reachable leaf. */
    static void backward(Tensor output, Tensor seed) {
        run("backward", output, seed, false, true, List.of(), null);
    }

    private static Map<Tensor, Tensor> run(String op, Tensor output, Tensor seed, boolean createGraph,
                                           boolean accumulateLeaves, List<Tensor> targets, Set<Tensor> reached) {
        output.checkLive(op);
        if (!output.requiresGrad()) {
            throw new NablaException(op + ": the output " + output.describe()
                    + " does not require grad; no input of it requires grad, or it was computed under noGrad()");
        }
        if (seed == null) {
            if (output.shape().size() != 1) {
                throw new ShapeException(op + ": output has shape " + output.shape()
                        + "; gradients without a seed need a scalar output (reduce it, e.g. with sum())");
            }
            try (GradMode ignored = noGrad()) {
                seed = Ops.full(output.backend(), output.dtype(), output.shape(), 1.0);
            }
        } else {
            seed.checkLive(op);
            if (!seed.shape().equals(output.shape()) || seed.dtype() != output.dtype()) {
                throw new ShapeException(op + ": seed " + seed.describe() + " does not match output "
                        + output.describe());
            }
        }
        Set<Tensor> targetSet = Collections.newSetFromMap(new IdentityHashMap<>());
        targetSet.addAll(targets);
        List<Tensor> order = topologicalOrder(output);
        if (reached != null) {
            reached.addAll(order);
        }
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(output, seed);
        Set<Node> groupsDone = Collections.newSetFromMap(new IdentityHashMap<>());
        // sums the engine made and nobody else has seen: later gradients are added into them in place
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        try (GradMode ignored = createGraph ? enableGrad() : noGrad()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                if (t.gradFn != null && t.gradFn.outputs != null) {
                    // the outputs of a multi-output op are adjacent in the order, after every use of any of them
                    if (groupsDone.add(t.gradFn)) {
                        backwardGroup(op, t.gradFn, grads, targetSet, owned);
                    }
                    continue;
                }
                Tensor g = grads.get(t);
                if (g == null) {
                    continue;
                }
                Node node = t.gradFn;
                if (node == null) {
                    if (accumulateLeaves) {
                        t.accumulateGrad(g);
                    }
                    continue;
                }
                checkInputsLive(op, node);
                owned.remove(g); // handed to a backward rule, which may return it as an input's gradient
                accumulate(node, node.backward.apply(g), grads, owned);
                if (!targetSet.contains(t)) {
                    grads.remove(t);
                }
            }
        }
        return grads;
    }

    /** Runs the backward of a multi-output node once, with the gradients of all its outputs. */
    private static void backwardGroup(String op, Node node, Map<Tensor, Tensor> grads, Set<Tensor> targetSet,
                                      Set<Tensor> owned) {
        Tensor[] gs = new Tensor[node.outputs.length];
        boolean any = false;
        for (int k = 0; k < gs.length; k++) {
            gs[k] = grads.get(node.outputs[k]);
            any |= gs[k] != null;
            owned.remove(gs[k]);
        }
        if (!any) {
            return;
        }
        checkInputsLive(op, node);
        accumulate(node, node.multi.apply(gs), grads, owned);
        for (Tensor out : node.outputs) {
            if (!targetSet.contains(out)) {
                grads.remove(out);
            }
        }
    }

    private static void checkInputsLive(String op, Node node) {
        for (Tensor in : node.inputs) {
            if (in != null && in.isReleased()) {
                throw new dev.nabla.api.types.ReleasedTensorException(op + ": an input " + in.describe()
                        + " of '" + node.op + "' was released before backward ran; run backward inside"
                        + " the scope that computed the forward pass, or keep() what it needs");
            }
        }
    }

    /**
     * Adds the gradients {@code inGrads} of {@code node}'s inputs into {@code grads}. Unless the backward
     * pass is recorded, a second gradient of an input makes a new sum that only the engine holds
     * ({@code owned}), and every further one is added into that sum in place — a weight used at every
     * step of a sequence then costs one sum, not one new tensor per step.
     */
    private static void accumulate(Node node, Tensor[] inGrads, Map<Tensor, Tensor> grads, Set<Tensor> owned) {
        for (int k = 0; k < node.inputs.length; k++) {
            Tensor in = node.inputs[k];
            if (in == null || !in.requiresGrad() || inGrads[k] == null) {
                continue;
            }
            Tensor gi = Ops.sumTo(inGrads[k], in.shape());
            Tensor prev = grads.get(in);
            if (prev == null) {
                grads.put(in, gi);
            } else if (owned.contains(prev) && !GradMode.isEnabled() && gi.dtype() == prev.dtype()
                    && gi.shape().equals(prev.shape())) {
                Storage p = prev.storage("backward");
                Ops.k(prev).binary(BinaryOp.ADD, p, prev.shape(), gi.storage("backward"), gi.shape(), p, prev.shape());
            } else {
                Tensor sum = prev.add(gi);
                if (!GradMode.isEnabled()) {
                    owned.add(sum);
                }
                grads.put(in, sum);
            }
        }
    }

    /** Tensors reachable from {@code root} through nodes, each after everything it depends on. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.gradFn == null ? new Tensor[0] : t.gradFn.inputs;
            boolean pushed = false;
            while (next < inputs.length) {
                Tensor in = inputs[next++];
                if (in != null && in.requiresGrad() && visited.add(in)) {
                    frame[1] = next;
                    stack.push(new Object[] {in, 0});
                    pushed = true;
                    break;
                }
            }
            if (!pushed) {
                stack.pop();
                if (t.gradFn != null && t.gradFn.outputs != null) {
                    // every output of a multi-output op goes in here, together: each use of any of them
                    // comes later in the order, so the op's backward runs after all of them
                    for (Tensor sibling : t.gradFn.outputs) {
                        if (sibling == t || visited.add(sibling)) {
                            order.add(sibling);
                        }
                    }
                } else {
                    order.add(t);
                }
            }
        }
        return order;
    }
}
