import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/http/openapi-document.ts';
import { synthTemplate } from '../../lib/template.ts';

describe('the OpenAPI document', () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };

  it('is committed up to date at docs/openapi.json (npm run gen:openapi)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('documents every route the HTTP API deploys, and nothing else', () => {
    const template = synthTemplate({ nag: false }) as { Resources: Record<string, { Type: string; Properties: { RouteKey?: string } }> };
    const deployed = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => String(r.Properties.RouteKey))
      .sort();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    expect(documented).toEqual(deployed);
  });

  it('describes the worksheet from the zod schema, strict and with its rules', () => {
    const worksheet = doc.components.schemas.Worksheet as { additionalProperties?: boolean; required?: string[]; properties: Record<string, unknown> };
    expect(worksheet.additionalProperties).toBe(false);
    expect(worksheet.required).toEqual(expect.arrayContaining(['company', 'aws', 'contact', 'useCase', 'workload', 'otherServices']));
    expect(JSON.stringify(worksheet.properties.aws)).toContain('^\\\\d{12}$');
  });
});
