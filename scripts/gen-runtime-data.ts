/**
 * Writes the run-time projections of the data files to data/runtime/ (`npm run gen:runtime-data`): what the functions
 * read of the rate card, programs, data policy, ACE rules, benefits and stuck thresholds (functions/core/runtime-data.ts),
 * as readable JSON, and the bigger ones also as the compressed module the functions load (data/runtime/<name>.br.ts,
 * functions/core/compressed-data.ts). Run it after editing a file in data/; the unit tests and every synth fail while a
 * committed projection (or an inflated module) differs from a fresh one (functions/core/data-checks.ts). The source
 * files are validated against their schemas first.
 */
import { writeFileSync } from 'node:fs';
import { checkedSourceData } from '../functions/core/data-checks.ts';
import { runtimeProjections, runtimeDataText } from '../functions/core/runtime-data.ts';
import { compressedModuleText } from '../functions/core/compressed-data.ts';

for (const [file, projection] of Object.entries(runtimeProjections(checkedSourceData()))) {
  const target = new URL(`../${file}`, import.meta.url);
  const text = file.endsWith('.br.ts') ? compressedModuleText(file.replace(/\.br\.ts$/, '.json'), projection) : runtimeDataText(projection);
  writeFileSync(target, text);
  console.log(`wrote ${file} (${text.length} bytes)`);
}
