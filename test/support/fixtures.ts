/** Shared test fixtures: the example worksheet, parsed, and small builders. */
import { readFileSync } from 'node:fs';
import { Worksheet } from '../../schemas/worksheet.ts';

export const exampleWorksheetJson: unknown = JSON.parse(readFileSync(new URL('../../examples/worksheet.json', import.meta.url), 'utf8'));

export function exampleWorksheet(): Worksheet {
  return Worksheet.parse(structuredClone(exampleWorksheetJson));
}
