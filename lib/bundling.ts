/**
 * The esbuild options every Lambda bundle is built with. Plain data (no CDK import) so the house
 * function construct and the bundle benchmark build exactly the same way.
 */
export const LAMBDA_BUNDLE = {
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  minify: true,
  /** CommonJS dependencies that call `require` get one through this banner in an ESM bundle. */
  banner: "import { createRequire as __houseCreateRequire } from 'node:module'; const require = __houseCreateRequire(import.meta.url);",
} as const;
