/** @descent/init-metainit: MetaInit (Dauphin & Schoenholz, 2019) — the gradient quotient, the norm tuning, and the `metainit` registry plugin. */
export {
  metaInit,
  gradientQuotient,
  metaInitDefaults,
  type MetaInitModel,
  type MetaInitLoss,
  type MetaInitBatch,
  type MetaInitOptions,
  type MetaInitRunOptions,
  type MetaInitResult,
} from './metainit';
export {
  metaInitPlugin,
  metaInitInitializer,
  metaInitConfigDefaults,
  hasMetaInitPostInit,
  runPostInit,
  METAINIT_BASES,
  type MetaInitConfig,
  type MetaInitPostInit,
  type MetaInitInitializer,
  type MetaInitBaseId,
} from './plugin';
