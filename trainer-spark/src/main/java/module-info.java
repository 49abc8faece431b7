/**
 * The {@code spark} trainer: data-parallel training on Apache Spark, synchronous (gradients summed over
 * the partitions every step) or by model averaging (K local steps, then parameters and optimizer moments
 * averaged). Optional like the TensorFlow backend: Spark is not a module dependency. It stays on the
 * class path (its jars make no valid module names and split packages); this module reads the unnamed
 * module at run time, and without Spark the trainer reports itself unavailable with the reason.
 */
module dev.nabla.trainer.spark {
    requires transitive dev.nabla.models;

    exports dev.nabla.trainer.spark;

    uses dev.nabla.models.family.ModelFamily;
    uses dev.nabla.api.spi.TrainerProvider;

    provides dev.nabla.api.spi.TrainerProvider with dev.nabla.trainer.spark.SparkTrainerProvider;
}
