/** @descent/init-kaiming: the kaiming-normal initializer and its registry plugin. */
export { kaimingNormal, kaimingNormalInitializer, type KaimingNormalConfig } from './kaiming-normal';
