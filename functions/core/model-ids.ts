/**
 * Bedrock model ids as people write them: a base id (`anthropic.claude-sonnet-4-6`), optionally behind a global or
 * geo inference-profile prefix (`global.`, `us.`, `eu.`, ...). Pure and data-free, so routing can read a provider
 * without loading the rate card.
 */

/** Geo / global inference-profile prefixes Bedrock puts in front of a model id. */
const PROFILE_PREFIX = /^(global|us|eu|apac|jp|au|ca|us-gov)\./;

export type ProfileKind = 'global' | 'geo' | 'none';

export function splitProfile(id: string): { base: string; profile: ProfileKind } {
  const match = PROFILE_PREFIX.exec(id);
  if (!match) return { base: id, profile: 'none' };
  return { base: id.slice(match[0].length), profile: match[1] === 'global' ? 'global' : 'geo' };
}

/** The provider part of a model id (`anthropic`, `amazon`, `meta`, ...), profile prefix or not. */
export function modelProvider(modelId: string): string {
  return splitProfile(modelId.trim()).base.split('.')[0] ?? '';
}
