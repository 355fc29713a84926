/**
 * One wording for a rule everywhere (API and CLI): the local runtime runs every handler in one process, and a module
 * importing full `zod` installs zod's English locale for all of them; the rules must not change with it.
 */
import { describe, expect, it } from 'vitest';
import * as zFull from 'zod';
import { parseWith } from '../../schemas/issues.ts';
import { DeclineRequest } from '../../schemas/api.ts';
import { Worksheet } from '../../schemas/worksheet.ts';

describe('field rules with zod English locale installed in the process', () => {
  it('still read "is required" and "must be string", not zod\'s own wording', () => {
    expect(zFull.string().safeParse(undefined).error?.issues[0]?.message).toMatch(/^Invalid input: expected string/); // the locale is on
    expect(parseWith(DeclineRequest, {})).toEqual({ ok: false, problems: [{ field: 'reason', rule: 'is required' }] });
    const problems = parseWith(Worksheet, { company: { name: 5 } });
    expect(problems.ok).toBe(false);
    if (!problems.ok) {
      expect(problems.problems).toContainEqual({ field: 'company.name', rule: 'must be string' });
      expect(problems.problems).toContainEqual({ field: 'aws', rule: 'is required' });
      expect(problems.problems.filter((p) => /Invalid input|expected|received/.test(p.rule))).toEqual([]);
    }
  });
});
