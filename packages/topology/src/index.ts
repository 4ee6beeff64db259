/** @descent/topology. */
export {};
