package dev.nabla.models.flows;

import dev.nabla.api.flow.Flow;
import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.ModuleList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A composition of flows {@code f = f_{K-1} ∘ … ∘ f_1 ∘ f_0} (data to noise), like normflows'
 * {@code NormalizingFlow} stack or nflows' {@code CompositeTransform}:
 *
 * <pre>
 *   forward:  z = f_{K-1}(… f_0(x)),             log|det ∂z/∂x| = Σ_k log|det ∂f_k|
 *   inverse:  x = f_0⁻¹(… f_{K-1}⁻¹(z)),         log|det ∂x/∂z| = Σ_k log|det ∂f_k⁻¹|
 * </pre>
 *
 * <p>The flows are the children of a list named {@code flows}, numbered from 0, so parameter names
 * read {@code flows.3.net.0.weight}. A flow that is not a {@link Block} (a plugin's own) is adopted
 * with its own parameter names under its number.
 */
public final class FlowSequence extends Block implements Flow {
    private final List<Flow> flows = new ArrayList<>();
    private final ModuleList list;

    /** The stack {@code flows[0]} first (applied first to data). */
    public FlowSequence(List<? extends Flow> flows) {
        this.list = child("flows", new ModuleList());
        for (Flow fl : flows) {
            add(fl);
        }
    }

    /** Appends a flow (applied after the existing ones on the data-to-noise side); returns this. */
    public FlowSequence add(Flow flow) {
        flows.add(flow);
        list.append(flow instanceof Block b ? b : new ForeignFlow(flow));
        return this;
    }

    /** The flows, data side first. */
    public List<Flow> flows() {
        return Collections.unmodifiableList(flows);
    }

    /** The numbered container (registered under {@code flows} in this block and in a TransformedDistribution). */
    Block list() {
        return list;
    }

    @Override
    public FlowResult forward(Tensor x) {
        Tensor v = x;
        Tensor ld = null;
        for (Flow fl : flows) {
            FlowResult r = fl.forward(v);
            v = r.value();
            ld = ld == null ? r.logDet() : ld.add(r.logDet());
        }
        return new FlowResult(v, ld == null ? x.sum(1, false).mul(0.0) : ld);
    }

    @Override
    public FlowResult inverse(Tensor z) {
        Tensor v = z;
        Tensor ld = null;
        for (int k = flows.size() - 1; k >= 0; k--) {
            FlowResult r = flows.get(k).inverse(v);
            v = r.value();
            ld = ld == null ? r.logDet() : ld.add(r.logDet());
        }
        return new FlowResult(v, ld == null ? z.sum(1, false).mul(0.0) : ld);
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        return super.namedParameters();
    }

    @Override
    public void close() {
        super.close();
    }

    @Override
    public String toString() {
        return "FlowSequence" + flows;
    }

    /** Gives a non-Block flow a place in the tree. */
    private static final class ForeignFlow extends Block {
        private final Flow flow;

        ForeignFlow(Flow flow) {
            this.flow = flow;
        }

        @Override
        public Map<String, Tensor> namedParameters() {
            return flow.namedParameters();
        }

        @Override
        public void close() {
            flow.close();
        }
    }
}
