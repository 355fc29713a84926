/** Shared test fixtures: the example worksheet, parsed, and small builders. */
import { readFileSync } from 'node:fs';
import type { Filing } from '../../schemas/estimate.ts';
import { Worksheet } from '../../schemas/worksheet.ts';

export const exampleWorksheetJson: unknown = JSON.parse(readFileSync(new URL('../../examples/worksheet.json', import.meta.url), 'utf8'));

export function exampleWorksheet(): Worksheet {
  return Worksheet.parse(structuredClone(exampleWorksheetJson));
}

/** One stacked program's filing as the estimate plans it (the POC funding at $25,000), changed by `overrides`. */
export function exampleFiling(overrides: Partial<Filing> = {}): Filing {
  return {
    programId: 'bedrock-poc',
    programName: 'Bedrock / GenAI POC funding',
    filingPath: 'ace',
    askUsd: '25000.00',
    coverageMonths: 3,
    monthlySpendByService: [
      { service: 'Amazon Bedrock', monthlyUsd: '6150.40' },
      { service: 'Amazon OpenSearch Service', monthlyUsd: '700.00' },
      { service: 'Amazon S3', monthlyUsd: '0.00' },
    ],
    rationale: 'A defined GenAI proof of concept with a measurable success metric.',
    ...overrides,
  };
}
