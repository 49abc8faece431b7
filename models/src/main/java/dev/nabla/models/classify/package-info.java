/**
 * Image classifiers as a model family ({@link dev.nabla.models.classify.ClassifierFamily}): the small
 * Fashion-MNIST CNN {@code fmnist-classifier} ({@link dev.nabla.models.classify.CnnClassifier}), trained on
 * the cross-entropy and evaluated by accuracy ({@link dev.nabla.models.classify.ClassifierModel}); its
 * penultimate features are the {@link dev.nabla.models.image.FeatureExtractor} of "FMNIST-FID".
 */
package dev.nabla.models.classify;
