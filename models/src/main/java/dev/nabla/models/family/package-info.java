/**
 * Model families for the {@code nabla} command, through one service interface,
 * {@link dev.nabla.models.family.ModelFamily}: a family names its models and the data sets they fit,
 * builds a {@link dev.nabla.models.family.FamilyModel} from {@code --set} keys, and that model says how
 * it trains (its default trainer and the plan parts), what {@code sample} shows
 * ({@link dev.nabla.models.family.Samples}: points, text, images) and what {@code eval} reports
 * ({@link dev.nabla.models.family.Evaluation}). Families are handed their
 * {@link dev.nabla.models.family.Components} (layers, flows) and never look services up. This package
 * knows no family; the flows ({@code dev.nabla.models.flows.FlowFamily}) are the first, and a plugin
 * adds one with {@code provides dev.nabla.models.family.ModelFamily with …}.
 */
package dev.nabla.models.family;
