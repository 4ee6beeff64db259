/** @descent/landscape. */
export {};
