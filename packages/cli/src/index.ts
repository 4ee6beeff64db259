/** @descent/cli. */
export {};
