package dev.nabla.models.flows;

import dev.nabla.api.flow.Flow;
import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.flows.density.Sample;
import dev.nabla.models.flows.density.SamplingModel;
import dev.nabla.models.flows.density.Distribution;
import dev.nabla.models.nn.Block;

import java.util.List;
import java.util.Map;

/**
 * A normalizing flow model: a base distribution {@code p_Z} pushed through a stack of bijections
 * {@code f} (data to noise), like {@code torch.distributions.TransformedDistribution} (with the
 * direction reversed) or normflows' {@code NormalizingFlow}:
 *
 * <pre>
 *   log p_X(x) = log p_Z(f(x)) + log|det ∂f(x)/∂x|                          (logProb: every flow's forward)
 *   x = f⁻¹(z), z ~ p_Z;   log p_X(x) = log p_Z(z) + log|det ∂f(x)/∂x| = log p_Z(z) − log|det ∂f⁻¹(z)/∂z|
 *                                                                           (sample, sampleWithLogProb: every inverse)
 * </pre>
 *
 * <p>Which of the two is cheap depends on the flows: MAF stacks evaluate densities in one pass and
 * sample in {@code D}; IAF stacks the reverse; RealNVP both in one. Children: {@code base} (when the
 * base distribution has state) and {@code flows} ({@code flows.0}, {@code flows.1}, …), so a model's
 * names read {@code flows.3.net.0.weight}.
 */
public final class TransformedDistribution extends Block implements SamplingModel {
    private final Distribution base;
    private final FlowSequence flows;
    private dev.nabla.api.types.DType dtype;   // of the parameters, found on the first logProb

    /** {@code base} pushed through {@code flows} (data side first). Takes ownership of both. */
    public TransformedDistribution(Distribution base, List<? extends Flow> flows) {
        this(base, new FlowSequence(flows));
    }

    /** {@code base} pushed through {@code flows}. Takes ownership of both. */
    public TransformedDistribution(Distribution base, FlowSequence flows) {
        this.base = base;
        this.flows = flows;
        if (base instanceof Block b) {
            child("base", b);
        }
        child("flows", flows.list());
    }

    /** The base distribution. */
    public Distribution base() {
        return base;
    }

    /** The flow stack. */
    public FlowSequence flows() {
        return flows;
    }

    /** The dimension of the data. */
    public int dim() {
        return base.dim();
    }

    /** {@code log p_X(x) = log p_Z(f(x)) + log|det ∂f/∂x|}, shape {@code [batch]}. */
    @Override
    public Tensor logProb(Tensor x) {
        FlowResult r = flows.forward(inModelDtype(x));
        return base.logProb(r.value()).add(r.logDet());
    }

    /**
     * {@code x} in the dtype of this model's parameters: data sets hand out float32, and a float64 model
     * ({@code dtype=float64}) evaluates them in float64. Other dtypes are left for the flows to refuse.
     */
    private Tensor inModelDtype(Tensor x) {
        if (!x.dtype().isFloatingPoint()) {
            return x;
        }
        if (dtype == null) {   // fixed when the model is built: found once
            dtype = state().values().stream().map(Tensor::dtype).filter(dev.nabla.api.types.DType::isFloatingPoint)
                    .findFirst().orElse(x.dtype());
        }
        return dtype == x.dtype() ? x : x.to(dtype);
    }

    /** {@code n} samples {@code x = f⁻¹(z)}, {@code z ~ p_Z}, shape {@code [n, D]}. */
    public Tensor sample(int n, Generator random) {
        return flows.inverse(base.sample(n, random)).value();
    }

    /** Samples with {@code log p_X(x) = log p_Z(z) − log|det ∂f⁻¹(z)/∂z|}, from the inverse pass alone. */
    @Override
    public Sample sampleWithLogProb(int n, Generator random) {
        Tensor z = base.sample(n, random);
        FlowResult r = flows.inverse(z);
        return new Sample(r.value(), base.logProb(z).sub(r.logDet()));
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        return super.namedParameters();
    }

    @Override
    public String toString() {
        return "TransformedDistribution(" + base + ", " + flows + ")";
    }
}
