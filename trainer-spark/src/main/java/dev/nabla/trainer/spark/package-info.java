/**
 * The {@code spark} trainer ({@link dev.nabla.trainer.spark.SparkTrainer}, offered by
 * {@link dev.nabla.trainer.spark.SparkTrainerProvider}): the training loop of {@code dev.nabla.models}
 * on the driver — its checkpoints, validation, schedules, listeners and exact resume — with the work of
 * each step spread over Spark partitions. Executors rebuild the model from its family, name, keys and
 * seed; parameters, gradients and optimizer moments travel as flat {@code float[]} vectors, data as
 * example indices. Spark's classes are touched only once {@link dev.nabla.trainer.spark.SparkTrainerProvider#availability()}
 * has found them. What does not live here: the loop itself, the models, the data sets.
 */
package dev.nabla.trainer.spark;
