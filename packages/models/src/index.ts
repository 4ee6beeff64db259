/** @descent/models. */
export {};
