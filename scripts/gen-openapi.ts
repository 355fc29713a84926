/** Writes docs/openapi.json from the zod schemas (`npm run gen:openapi`); a test fails when it is stale. */
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../functions/http/openapi-document.ts';

const target = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
