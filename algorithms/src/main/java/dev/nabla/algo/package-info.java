/**
 * Research algorithms written once against nabla's public API, running on whatever device their
 * tensors live on: the Hessian's spectrum ({@link dev.nabla.algo.HessianSpectrum}), curvature
 * operators ({@link dev.nabla.algo.CurvatureOperator}, {@link dev.nabla.algo.GaussNewton}),
 * Hessian-free Newton ({@link dev.nabla.algo.NewtonCG}), and entropic optimal transport by
 * log-domain Sinkhorn ({@link dev.nabla.algo.Sinkhorn}) and Sinkhorn-Newton-Sparse
 * ({@link dev.nabla.algo.SinkhornNewtonSparse}).
 *
 * <pre>{@code
 * HessianSpectrum h = new HessianSpectrum(p -> Losses.crossEntropy(model.functionalCall(p, x), y), model.parameterList());
 * double lambdaMax = h.topEigenvalues(1).values()[0];
 * }</pre>
 *
 * <p>One concept per file: the public entry points, and beside them the package-private pieces
 * they share ({@code Lanczos}, {@code TridiagonalEigen}, {@code PowerIteration},
 * {@code HutchinsonTrace}, {@code SpectralDensity}, {@code ConjugateGradient}, the flat view of
 * a parameter list, {@code ParameterLayout}, on which the Krylov methods iterate, and for optimal
 * transport {@code OtProblem} and {@code SparseNewtonSystem}).
 */
package dev.nabla.algo;
