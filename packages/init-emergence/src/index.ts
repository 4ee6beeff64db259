/** @descent/init-emergence: depth-dependent Kaiming scaling (the book's "emergence-promoting" initialization) and its registry plugin. */
export { emergence, emergencePlugin, emergenceFactor, emergenceStd, emergenceDefaults, type EmergenceConfig } from './emergence';
