/** `GET /openapi.json`: the API description, built once per container from the zod schemas. */
import { openApiDocument } from './openapi-document.ts';
import { httpHandler, json } from './middleware.ts';

let document: Record<string, unknown> | undefined;

export const handler = httpHandler({
  'GET /openapi.json': async () => {
    document ??= openApiDocument();
    return json(200, document, { 'cache-control': 'public, max-age=300' });
  },
});
