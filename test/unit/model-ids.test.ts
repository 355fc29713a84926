// Bedrock model ids as people write them (functions/core/model-ids.ts): the inference-profile prefix, and the provider.
import { describe, expect, it } from 'vitest';
import { modelProvider, splitProfile } from '../../functions/core/model-ids.ts';

describe('splitProfile', () => {
  it('splits a global or geo profile prefix off; anything else is a base id', () => {
    expect(splitProfile('anthropic.claude-sonnet-4-6')).toStrictEqual({ base: 'anthropic.claude-sonnet-4-6', profile: 'none' });
    expect(splitProfile('global.anthropic.claude-sonnet-4-6')).toStrictEqual({ base: 'anthropic.claude-sonnet-4-6', profile: 'global' });
    for (const geo of ['us', 'eu', 'apac', 'jp', 'au', 'ca', 'us-gov']) {
      expect(splitProfile(`${geo}.amazon.nova-pro-v1:0`), geo).toStrictEqual({ base: 'amazon.nova-pro-v1:0', profile: 'geo' });
    }
    // Only a leading prefix, with its dot, and only the known ones.
    for (const id of ['anthropic.us.model', 'xus.meta.llama', 'us-meta.llama', 'uk.meta.llama', 'globalx.meta.llama', 'global']) {
      expect(splitProfile(id), id).toStrictEqual({ base: id, profile: 'none' });
    }
  });
});

describe('modelProvider', () => {
  it('is the first part of the base id, written with spaces around or not', () => {
    expect(modelProvider('anthropic.claude-sonnet-4-6')).toBe('anthropic');
    expect(modelProvider('eu.meta.llama3-70b')).toBe('meta');
    expect(modelProvider('global.amazon.nova-pro-v1:0')).toBe('amazon');
    expect(modelProvider('  us.mistral.large \n')).toBe('mistral');
    expect(modelProvider('cohere')).toBe('cohere');
    expect(modelProvider('')).toBe('');
  });
});
