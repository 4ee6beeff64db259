/** @descent/hessian. */
export {};
