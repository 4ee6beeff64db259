/**
 * What a report lists under "Versions" — one implementation, in @descent/pipeline, shared by the
 * pipeline's run reports and every CLI report.
 */
export { reportVersions } from '@descent/pipeline';
