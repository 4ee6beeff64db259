/** @descent/wavelet. */
export {};
