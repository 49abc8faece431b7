/**
 * Nabla's model library, written against {@code dev.nabla.api} only, so it runs unchanged on every
 * backend. Three layers of its own, arrows pointing down: the families ({@code flows}, {@code recurrent},
 * {@code attention}, {@code transformer}, {@code fewshot}, {@code memory}, {@code vae}, {@code gan},
 * {@code classify}; no family imports another), the training core ({@code train}, {@code data},
 * {@code checkpoint}, {@code family}, {@code image}) and the blocks ({@code nn}, {@code optim}, {@code loss}).
 */
module dev.nabla.models {
    requires transitive dev.nabla.api;
    requires ejml.core;
    requires ejml.ddense;

    exports dev.nabla.models.nn;
    exports dev.nabla.models.optim;
    exports dev.nabla.models.loss;
    exports dev.nabla.models.data;
    exports dev.nabla.models.train;
    exports dev.nabla.models.checkpoint;
    exports dev.nabla.models.family;
    exports dev.nabla.models.spi;
    exports dev.nabla.models.flows;
    exports dev.nabla.models.flows.density;
    exports dev.nabla.models.serve;
    exports dev.nabla.models.recurrent;
    exports dev.nabla.models.recurrent.lm;
    exports dev.nabla.models.recurrent.seq2seq;
    exports dev.nabla.models.recurrent.tree;
    exports dev.nabla.models.image;
    exports dev.nabla.models.vae;
    exports dev.nabla.models.classify;
    exports dev.nabla.models.gan;
    exports dev.nabla.models.memory;
    exports dev.nabla.models.fewshot;
    exports dev.nabla.models.transformer;
    exports dev.nabla.models.attention;

    uses dev.nabla.api.spi.LayerProvider;
    uses dev.nabla.api.spi.TrainerProvider;
    uses dev.nabla.api.spi.FlowProvider;

    provides dev.nabla.api.spi.LayerProvider with dev.nabla.models.spi.ModelsLayerProvider;
    provides dev.nabla.api.spi.TrainerProvider with dev.nabla.models.spi.ModelsTrainerProvider;
    provides dev.nabla.api.spi.FlowProvider with dev.nabla.models.flows.NablaFlowProvider;
    provides dev.nabla.models.family.ModelFamily with dev.nabla.models.flows.FlowFamily,
            dev.nabla.models.recurrent.RecurrentFamily,
            dev.nabla.models.vae.VaeFamily,
            dev.nabla.models.classify.ClassifierFamily,
            dev.nabla.models.attention.AttentionFamily,
            dev.nabla.models.fewshot.FewShotFamily,
            dev.nabla.models.gan.GanFamily,
            dev.nabla.models.memory.MemoryFamily,
            dev.nabla.models.transformer.TransformerFamily;
}
