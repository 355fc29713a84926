/**
 * Writes the published API documents from the zod schemas (`npm run gen:openapi`); tests fail when they are stale:
 *   docs/openapi.json              the HTTP API (OpenAPI 3.1)
 *   schemas/worksheet.schema.json  the founder's worksheet as a JSON Schema (draft 2020-12), for forms and editors
 */
import { writeFileSync } from 'node:fs';
import { openApiDocument, worksheetJsonSchema } from '../functions/http/openapi-document.ts';

const outputs: [URL, unknown][] = [
  [new URL('../docs/openapi.json', import.meta.url), openApiDocument()],
  [new URL('../schemas/worksheet.schema.json', import.meta.url), worksheetJsonSchema()],
];
for (const [target, document] of outputs) {
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`wrote ${target.pathname}`);
}
