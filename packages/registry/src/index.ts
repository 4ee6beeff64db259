/**
 * @descent/registry — plugins: define them, register and look them up, validate their configs,
 * discover them among a project's dependencies.
 */
export { definePlugin, isPlugin, type Plugin, type PluginKind, type PluginDefinition, type PluginProducts } from './plugin';
export { Registry } from './registry';
export { discoverPlugins, type DiscoverOptions, type DiscoverResult, type DiscoveredPlugin } from './discover';
export { schema, type TSchema, type Static } from './schema';
export { validateAgainst, listProblems, describeSchema } from './validate';
export { ConfigError, RegistryError } from './errors';
