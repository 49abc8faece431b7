/**
 * What {@code nabla train} shows and leaves behind: the progress display
 * ({@link dev.nabla.launcher.report.ProgressDisplay}: a progress bar with steps/s, loss and ETA on a
 * terminal, periodic lines otherwise), the recorded history ({@link dev.nabla.launcher.report.RunHistory},
 * written as {@code metrics.csv}), and the PNG pictures ({@link dev.nabla.launcher.report.Plots}: the loss
 * curve, and samples drawn over the data for 2-D data sets).
 */
package dev.nabla.launcher.report;
