/** @descent/report. */
export {};
