/** @descent/train. */
export {};
