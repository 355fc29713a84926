import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openApiDocument, worksheetJsonSchema } from '../../functions/http/openapi-document.ts';
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
  }, 180_000); // one synthesis, on a shared machine

  it('describes the worksheet from the zod schema, strict and with its rules', () => {
    const worksheet = doc.components.schemas.Worksheet as { additionalProperties?: boolean; required?: string[]; properties: Record<string, unknown> };
    expect(worksheet.additionalProperties).toBe(false);
    expect(worksheet.required).toEqual(expect.arrayContaining(['company', 'aws', 'contact', 'useCase', 'workload', 'otherServices']));
    expect(JSON.stringify(worksheet.properties.aws)).toContain('^\\\\d{12}$');
  });
});

describe('the published worksheet JSON Schema', () => {
  const published = JSON.parse(readFileSync(new URL('../../schemas/worksheet.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;

  it('is committed up to date (npm run gen:openapi)', () => {
    expect(published).toEqual(JSON.parse(JSON.stringify(worksheetJsonSchema())));
  });

  it('accepts the example worksheet and rejects a broken one, as a JSON Schema validator reads it', () => {
    // Formats (email) are annotations here: the API checks them; this test is about structure and required fields.
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(published);
    const example = JSON.parse(readFileSync(new URL('../../examples/worksheet.json', import.meta.url), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    example.aws!.accountId = '12';
    example.surprise = {};
    expect(validate(example)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath || e.params)).toEqual(expect.arrayContaining(['/aws/accountId', { additionalProperty: 'surprise' }]));
  });
});
