import type { Plugin } from '@descent/registry';
import { spectrumAnalysis } from './spectrum';
import { hessianAnalysis } from './hessian';
import { landscapeAnalysis } from './landscape';
import { topologyAnalysis } from './topology';
import { waveletAnalysis } from './wavelet';

export { spectrumAnalysis, hessianAnalysis, landscapeAnalysis, topologyAnalysis, waveletAnalysis };

/** The analyses every pipeline can use by id (registry plugins of kind 'analysis'). */
export const BUILTIN_ANALYSES: Plugin<'analysis'>[] = [spectrumAnalysis, hessianAnalysis, landscapeAnalysis, topologyAnalysis, waveletAnalysis];
