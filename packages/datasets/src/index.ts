/** @descent/datasets. */
export {};
