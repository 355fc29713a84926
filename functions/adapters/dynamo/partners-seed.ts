/** Seeds partner profiles from a data file (used by the local runtime and `npm run seed:partners`). */
import { readFile } from 'node:fs/promises';
import { PartnerFile } from '../../../schemas/partner.ts';
import { parseWith } from '../../../schemas/issues.ts';
import { PartnerRepository, upsertPartnerProfile } from './partners.ts';

export async function seedPartners(tableName: string, file: string): Promise<number> {
  const parsed = parseWith(PartnerFile, JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.ok) {
    throw new Error(`${file} is not a valid partner file: ${parsed.problems.map((p) => `${p.field} ${p.rule}`).join('; ')}`);
  }
  const repo = new PartnerRepository(tableName);
  for (const profile of parsed.value.partners) await upsertPartnerProfile(repo, profile);
  return parsed.value.partners.length;
}
