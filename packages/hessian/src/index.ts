/**
 * @descent/hessian — Hessian-vector products by exact double backprop, and what they give:
 * top eigenpairs (power iteration, Lanczos), traces, spectral densities, diagonal estimates.
 */
export { enableSecondOrderGradients, crossEntropy } from './second-order';
export { hessianVectorProduct, hessianOperator, finiteDifferenceHvp, lossAndGradient, modelProblem, type LossProblem, type HessianOperator, type HvpMethod } from './hvp';
export { topEigenpairs, lanczos, tridiagonalEigen, type EigenPair, type TopEigenOptions, type LanczosResult } from './eigen';
export { hutchinsonTrace, type TraceResult } from './trace';
export { spectralDensity, quadratureRun, densityOnGrid, type SpectralDensity, type QuadratureRun } from './density';
export { hutchinsonDiagonal, gaussNewtonBartlett } from './diagonal';
export { dot, norm, normalize, orthogonalize } from './vectors';
