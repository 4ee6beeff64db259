import { DescentError, InvalidParameterError } from '@descent/tensor';

/** A config value failed validation; `path` is the key path (`betas[1]`, `optimizer.lr`). */
export class ConfigError extends InvalidParameterError {
  readonly path: string;
  constructor(path: string, value: unknown, allowed: string, readonly pluginId?: string) {
    super(pluginId ? `${pluginId}.${path}` : path, value, allowed);
    this.path = path;
  }
}

/** Lookup or registration failed (unknown id, id taken by another plugin, discovery failure). */
export class RegistryError extends DescentError {}
