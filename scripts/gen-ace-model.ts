/**
 * Derives the compact data the ACE code needs from the vendored Partner Central sources (`npm run gen:ace`):
 *
 * - `data/ace/create-opportunity.shapes.json`: the closure of shapes reachable from `CreateOpportunityRequest`
 *   in the Smithy model (required members, enums, patterns, lengths, list lengths). Lambda bundles import this
 *   slice; the full model is 565 KB.
 * - `data/ace/postal-codes.json`: countries without postal codes and per-country postal formats, from AWS's
 *   CRM-integration CSVs, keyed by the ISO codes the model's CountryCode enum uses.
 * - `schemas/ace-opportunity.generated.ts`: the zod/mini schema (and so the TypeScript type) of the request body,
 *   rendered from the slice so the type and the validator cannot drift apart.
 *
 * Every function here is pure (sources in, text out); `test/unit/ace-model.test.ts` regenerates in memory and
 * compares with the committed files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// The slice and postal formats are zod schemas where the runtime reads (and validates) them; types only here.
import type { Length, PostalCodes, ShapeSlice, SliceMember, SliceShape } from '../functions/core/ace/model.ts';

import { buildShapeSlice, MODEL_FILE, type SmithyModel } from '../functions/core/ace/smithy-slice.ts';
export { buildShapeSlice, MODEL_FILE, type SmithyModel } from '../functions/core/ace/smithy-slice.ts';

// ---------------------------------------------------------------------------------------------------------------
// Postal codes

// CSV names that Intl's English region names do not produce. Checked first, so they also settle clashes
// (ICU renders the retired code AN as "Curaçao").
const COUNTRY_ALIASES: Record<string, string> = {
  'antigua and barbuda': 'AG', 'bonaire,sint eustatius and saba': 'BQ', 'brunei darussalam': 'BN',
  congo: 'CG', 'cote d\'ivoire': 'CI', curacao: 'CW', 'czech republic': 'CZ', 'great britain': 'GB',
  'heard island and mcdonald islands': 'HM', 'holy see (vatican city state)': 'VA', 'hong kong': 'HK', korea: 'KR',
  'lao people\'s democratic republic': 'LA', 'libyan arab jamahiriya': 'LY', macao: 'MO',
  'macedonia, the former yugoslav republic of': 'MK', myanmar: 'MM', 'netherlands antilles': 'AN',
  'saint helena, ascension and tristan da cunha': 'SH', 'saint martin (french part)': 'MF', swaziland: 'SZ',
  'saint vincent and the grenadines': 'VC', 'syrian arab republic': 'SY', turkey: 'TR', 'viet nam': 'VN', 'virgin islands, u.s.': 'VI',
};
// Rows with no code in the model's CountryCode enum.
const COUNTRIES_NOT_IN_MODEL = new Set(['serbia and montenegro']);

// The CSV notation is 9/N = digit, A = letter, anything else literal. Where AWS wrote examples or the notation
// would reject real codes, the pattern is written by hand (superset of AWS's wording, so we never block a code
// AWS accepts).
const FORMAT_OVERRIDES: Record<string, string> = {
  GB: '^[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}$', // "DT3 6GB OR L2 2DP" are examples of the UK postcode form
  IE: '^[A-Z]\\d[\\dW] ?[\\dA-Z]{4}$', // Eircode; "A99 9A9A" alone rejects codes such as D02 X285
  NL: '^\\d{4} ?[A-Z]{2}$', // "9999 AC": two letters
  BN: '^[A-Z]{2}\\d{4}$', // "KB9999": two letters (BS8811 is valid)
  SZ: '^[A-Z]\\d{3}$', // "M999": a letter and three digits (H100)
  SV: '^\\d{4}$', // "1101" is an example
  VA: '^(00)?120$', // "120"; the Vatican's code is 00120
};

const FORMAT_WORDING_OVERRIDES: Record<string, string> = {
  GB: 'A9 9AA OR A99 9AA OR AA9 9AA OR AA99 9AA OR A9A 9AA OR AA9A 9AA',
};

function normalizeCountry(name: string): string {
  return name
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ').replace(/&/g, 'and').replace(/^St\. /, 'Saint ')
    .trim().toLowerCase();
}

function countryIndex(codes: readonly string[]): Map<string, string> {
  const names = new Intl.DisplayNames('en', { type: 'region' });
  const index = new Map<string, string>();
  for (const code of codes) index.set(normalizeCountry(names.of(code) ?? code), code);
  return index;
}

function codeFor(name: string, index: Map<string, string>): string | undefined {
  const key = normalizeCountry(name);
  if (COUNTRIES_NOT_IN_MODEL.has(key)) return undefined;
  const code = COUNTRY_ALIASES[key] ?? index.get(key);
  if (!code) throw new Error(`no ISO code for country "${name}" (${key}): add it to COUNTRY_ALIASES`);
  return code;
}

/** Minimal CSV reader: quoted fields with commas, a BOM, CRLF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (ch === '"' && quoted && line[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) { cells.push(cell); cell = ''; }
      else cell += ch;
    }
    cells.push(cell);
    rows.push(cells);
  }
  return rows;
}

function patternFromNotation(formats: string[]): string {
  const one = (f: string) =>
    [...f].map((ch) => (ch === '9' || ch === 'N' ? '\\d' : ch === 'A' ? '[A-Z]' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return `^(?:${formats.map(one).join('|')})$`;
}

export function buildPostalCodes(noPostalCsv: string, validationsCsv: string, countryCodes: readonly string[]): PostalCodes {
  const index = countryIndex(countryCodes);
  const noPostalCode: Record<string, string> = {};
  for (const [name] of parseCsv(noPostalCsv).slice(1)) {
    const code = name ? codeFor(name, index) : undefined;
    if (code && name) noPostalCode[code] = name.trim();
  }
  const formats: PostalCodes['formats'] = {};
  for (const [name, message] of parseCsv(validationsCsv).slice(1)) {
    if (!name || !message) continue;
    const code = codeFor(name, index);
    const format = /must be in (.*?) format\.?$/.exec(message)?.[1];
    if (!code || !format) continue;
    const variants = format.split(/\s+or\s+/i);
    // "Great Britain" and "United Kingdom" both name GB: the override covers both rows.
    formats[code] = {
      name: name.trim(),
      format: FORMAT_WORDING_OVERRIDES[code] ?? format,
      pattern: FORMAT_OVERRIDES[code] ?? patternFromNotation(variants),
    };
  }
  const sorted = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  return {
    source: {
      files: ['data/ace/CountriesWithoutPostalCode.csv', 'data/ace/PostalCodeValidations.csv'],
      note:
        'aws-samples/partner-crm-integration-samples opportunity-samples (snapshot 954a7ff). Notation: 9/N digit, A letter; ' +
        'patterns for GB, IE, NL, BN, SZ, SV, VA written by hand where the notation is an example (see scripts/gen-ace-model.ts). ' +
        'Matched case-insensitively.',
    },
    noPostalCode: sorted(noPostalCode),
    formats: sorted(formats),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The zod/mini schema of the body, rendered from the slice

/** The rule wording the validator uses too, so a zod parse and a validation report read alike. */
export function lengthRules(length: Length | undefined, what: 'characters' | 'items'): { min?: string; max?: string } {
  const verb = what === 'characters' ? 'be' : 'have';
  return {
    ...(length?.min !== undefined && length.min > 0 && {
      min: length.min === 1 && what === 'characters' ? 'must not be empty' : `must ${verb} at least ${length.min} ${what}`,
    }),
    ...(length?.max !== undefined && { max: `must ${verb} at most ${length.max} ${what}` }),
  };
}

function lengthChecks(length: Length | undefined, what: 'characters' | 'items'): string[] {
  const rules = lengthRules(length, what);
  return [
    ...(rules.min ? [`z.minLength(${length?.min}, ${JSON.stringify(rules.min)})`] : []),
    ...(rules.max ? [`z.maxLength(${length?.max}, ${JSON.stringify(rules.max)})`] : []),
  ];
}

function stringExpr(pattern: string | undefined, length: Length | undefined): string {
  const checks = [
    ...lengthChecks(length, 'characters'),
    ...(pattern ? [`z.regex(new RegExp(${JSON.stringify(pattern)}, 'u'), ${JSON.stringify(`must match ${pattern}`)})`] : []),
  ];
  return checks.length > 0 ? `z.string().check(${checks.join(', ')})` : 'z.string()';
}

const constName = (shape: string) => `${shape}Shape`;

function memberExpr(member: SliceMember, slice: ShapeSlice): string {
  const target = slice.shapes[member.target];
  if (!target) throw new Error(`missing shape ${member.target}`);
  // A member with its own constraints becomes an inline string schema; otherwise it reuses the target's constant.
  if ((member.pattern || member.length) && target.type === 'string') {
    return stringExpr(member.pattern ?? target.pattern, member.length ?? target.length);
  }
  return constName(member.target);
}

function shapeExpr(shape: SliceShape, slice: ShapeSlice): string {
  switch (shape.type) {
    case 'structure': {
      const members = Object.entries(shape.members).map(([name, m]) => {
        const expr = memberExpr(m, slice);
        return `  ${name}: ${m.required ? expr : `z.optional(${expr})`},`;
      });
      return `z.strictObject({\n${members.join('\n')}\n})`;
    }
    case 'list': {
      const checks = lengthChecks(shape.length, 'items');
      const base = `z.array(${memberExpr(shape.member, slice)})`;
      return checks.length > 0 ? `${base}.check(${checks.join(', ')})` : base;
    }
    case 'enum':
      return `z.enum(${JSON.stringify(shape.values)})`;
    case 'string':
      return stringExpr(shape.pattern, shape.length);
    case 'timestamp':
      return 'z.string()';
    case 'boolean':
      return 'z.boolean()';
    case 'integer': case 'long': case 'double': case 'float':
      return 'z.number()';
    default:
      return 'z.unknown()';
  }
}

function dependencies(shape: SliceShape): string[] {
  if (shape.type === 'structure') return Object.values(shape.members).map((m) => m.target);
  if (shape.type === 'list') return [shape.member.target];
  return [];
}

/** Shapes in dependency order (the model has no recursion in this closure; a cycle is an error). */
function topologicalOrder(slice: ShapeSlice): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`recursive shape ${name}: the renderer needs z.lazy support`);
    state.set(name, 'visiting');
    const shape = slice.shapes[name];
    if (!shape) throw new Error(`missing shape ${name}`);
    for (const dep of dependencies(shape)) visit(dep);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(slice.shapes)) visit(name);
  return order;
}

export function renderZodSchema(slice: ShapeSlice): string {
  const decls = topologicalOrder(slice).map((name) => {
    const shape = slice.shapes[name] as SliceShape;
    return `export const ${constName(name)} = ${shapeExpr(shape, slice)};`;
  });
  return [
    '// GENERATED by scripts/gen-ace-model.ts from data/ace/create-opportunity.shapes.json: do not edit, run `npm run gen:ace`.',
    `// Partner Central Selling API ${slice.source.serviceVersion}, model sha256 ${slice.source.sha256.slice(0, 12)}.`,
    '// Structural only (members, enums, patterns, lengths); the submission rules live in functions/core/ace/validate.ts.',
    "import * as z from 'zod/mini';",
    '',
    ...decls,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Files

export const BENEFITS_MODEL_FILE = 'data/ace/partnercentral-benefits-2018-05-10.json';
export const BENEFITS_NAMESPACE = 'com.amazonaws.partnercentralbenefits#';

export const OUTPUTS = {
  slice: 'data/ace/create-opportunity.shapes.json',
  benefitSlice: 'data/ace/create-benefit-application.shapes.json',
  postal: 'data/ace/postal-codes.json',
  schema: 'schemas/ace-opportunity.generated.ts',
} as const;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Everything the generator writes, as file path → content, computed from the vendored sources under `root`. */
export function generate(root: string): Record<string, string> {
  const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
  const modelText = read(MODEL_FILE);
  const model = JSON.parse(modelText) as SmithyModel;
  const slice = buildShapeSlice(model, modelText);
  const countryShape = slice.shapes.CountryCode;
  if (countryShape?.type !== 'enum') throw new Error('CountryCode enum not found in the slice');
  const postal = buildPostalCodes(read('data/ace/CountriesWithoutPostalCode.csv'), read('data/ace/PostalCodeValidations.csv'), countryShape.values);
  // The Benefits API's CreateBenefitApplication input: the funding request drafted after an approval is checked
  // against it by the same validator (functions/core/ace/funding.ts), without the 150 KB model in the bundles.
  const benefitsText = read(BENEFITS_MODEL_FILE);
  const benefitSlice = buildShapeSlice(JSON.parse(benefitsText) as SmithyModel, benefitsText, { root: 'CreateBenefitApplicationInput', namespace: BENEFITS_NAMESPACE, file: BENEFITS_MODEL_FILE });
  return { [OUTPUTS.slice]: json(slice), [OUTPUTS.benefitSlice]: json(benefitSlice), [OUTPUTS.postal]: json(postal), [OUTPUTS.schema]: renderZodSchema(slice) };
}

export const PROJECT_ROOT = new URL('../', import.meta.url).href;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, content] of Object.entries(generate(PROJECT_ROOT))) {
    writeFileSync(new URL(path, PROJECT_ROOT), content);
    console.log(`wrote ${path} (${content.length} bytes)`);
  }
}
