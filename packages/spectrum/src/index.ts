/** @descent/spectrum. */
export {};
