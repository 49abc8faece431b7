package dev.nabla.models.attention;

import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.nn.HardAttention;
import dev.nabla.models.nn.SourceAttention;
import dev.nabla.models.nn.SourceMemory;

import java.util.List;

/**
 * One step of an attention decoder ({@link BahdanauDecoder}, {@link LuongDecoder}): from the embedded
 * previous output, the state and the source, the next output's logits, the new state and the alignment.
 */
public sealed interface AttentionDecoder permits BahdanauDecoder, LuongDecoder {
    /**
     * The decoder state.
     *
     * @param h    the recurrent state {@code [B, H]}
     * @param feed Luong's attentional vector {@code h̃_{t−1} [B, H]} fed to the next step, null for Bahdanau
     */
    record State(Tensor h, Tensor feed) {
        /** The rows {@code index} (int32 {@code [R]}) of the state. */
        State select(Tensor index) {
            return new State(h.indexSelect(0, index), feed == null ? null : feed.indexSelect(0, index));
        }
    }

    /**
     * What a step gives.
     *
     * @param logits  the next output's logits {@code [B, V]}
     * @param state   the state after the step
     * @param weights the alignment {@code [B, S]}
     * @param logProb for hard attention in training, {@code log p} of the drawn positions {@code [B]}; else null
     */
    record Step(Tensor logits, State state, Tensor weights, Tensor logProb) {
    }

    /**
     * How the context is taken from the alignment: soft (the weighted average), or hard (one position,
     * drawn in training, the most aligned one otherwise).
     */
    interface Focus {
        /** The soft context. */
        Focus SOFT = (r, m) -> new Pick(r.output(), null);

        /** The hard context of the most aligned position. */
        Focus ARGMAX = (r, m) -> new Pick(HardAttention.argmax(r.weights(), m.keys()).context(), null);

        /** The hard context of a position drawn from the alignment with {@code random}. */
        static Focus sampling(Generator random) {
            return (r, m) -> {
                HardAttention.Draw d = HardAttention.sample(r.weights(), m.keys(), random);
                return new Pick(d.context(), d.logProb());
            };
        }

        /** The context (and, for a draw, its log-probability) of an attention result. */
        Pick pick(AttentionResult result, SourceMemory memory);
    }

    /**
     * A context and, when drawn, its log-probability.
     *
     * @param context {@code [B, D]}
     * @param logProb {@code [B]}, or null
     */
    record Pick(Tensor context, Tensor logProb) {
    }

    /** The attention over the source. */
    SourceAttention attention();

    /** The state before the first step, from the encoder's summary {@code s_0 [B, H]}. */
    State initial(Tensor s0);

    /**
     * One step.
     *
     * @param previous the embedded previous output {@code [B, E]}
     * @param state    the state before the step
     * @param memory   the source
     * @param step     the step {@code t}, from 0
     * @param focus    soft or hard
     */
    Step step(Tensor previous, State state, SourceMemory memory, int step, Focus focus);

    /** The tensors of a state, for tests. */
    default List<Tensor> stateTensors(State s) {
        return s.feed() == null ? List.of(s.h()) : List.of(s.h(), s.feed());
    }
}
