/**
 * Value types shared by every layer of Nabla: {@link dev.nabla.api.types.DType},
 * {@link dev.nabla.api.types.Shape} (with NumPy broadcasting), {@link dev.nabla.api.types.Device},
 * and the exception hierarchy rooted at {@link dev.nabla.api.types.NablaException}.
 *
 * <p>This package depends on nothing else in Nabla; tensors and kernels live elsewhere.
 */
package dev.nabla.api.types;
