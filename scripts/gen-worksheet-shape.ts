/**
 * Compiles the worksheet's zod schema (schemas/worksheet.ts) into a checker that runs without zod
 * (`npm run gen:worksheet-shape` writes functions/core/worksheet-shape.generated.ts): the same fields, checks, messages
 * and cross-field rules, in zod's order, built from functions/core/input-shape.ts. The intake, revision and estimate
 * routes check worksheets with it, so their bundles carry no zod (~23 KB, issue 11 §1); the zod schema stays the one
 * source of the rules, the type and the OpenAPI document.
 *
 * The compiler knows exactly the constructs the worksheet uses and refuses any other (a clear error naming the path),
 * so a schema change it cannot render fails the generation instead of checking less. Cross-field rules are the named
 * predicates of schemas/worksheet-rules.ts, found by identity. test/unit/worksheet-shape.test.ts regenerates in memory
 * and compares with the committed file, and holds the checker to zod's answers on generated worksheets.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as z from 'zod/mini';
import { Worksheet } from '../schemas/worksheet.ts';
import * as predicates from '../schemas/worksheet-rules.ts';

export const OUTPUT = 'functions/core/worksheet-shape.generated.ts';

type Def = Record<string, unknown> & { type: string };
type CheckDef = Record<string, unknown> & { check: string };

const defOf = (schema: unknown) => (schema as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def) => ((def.checks ?? []) as { _zod: { def: CheckDef } }[]).map((c) => c._zod.def);

/** The message a check or schema was given; the compiler needs one for every rule it renders. */
function messageOf(def: Record<string, unknown>, where: string): string {
  const message = typeof def.error === 'function' ? (def.error as (issue: object) => unknown)({}) : undefined;
  if (typeof message !== 'string') throw new Error(`${where}: every check needs a message to be compiled`);
  return message;
}

const str = (value: string) => JSON.stringify(value);

class Compiler {
  readonly builders = new Set<string>();
  readonly predicatesUsed = new Set<string>();
  private readonly predicateNames = new Map<unknown, string>(Object.entries(predicates).map(([name, fn]) => [fn, name]));

  /** How often each rule's wording is used: one used more than once becomes a constant (a bundle repeats literals). */
  readonly wordings = new Map<string, number>();

  /** A placeholder for a rule's wording (its index), replaced once all uses are counted (renderWorksheetShape). */
  private wording(words: string): string {
    this.wordings.set(words, (this.wordings.get(words) ?? 0) + 1);
    return `__rule#${[...this.wordings.keys()].indexOf(words)}__`;
  }

  private call(name: string, args: string[]): string {
    this.builders.add(name);
    return `${name}(${args.join(', ')})`;
  }

  private value(name: string): string {
    this.builders.add(name);
    return name;
  }

  render(schema: unknown, path: string, indent: string): string {
    const def = defOf(schema);
    switch (def.type) {
      case 'object':
        return this.object(def, path, indent);
      case 'string':
        return this.string(def, path);
      case 'number':
        return this.call('number', checksOf(def).map((c) => this.numberCheck(c, path)));
      case 'boolean':
        return this.call('boolean', []);
      case 'enum':
        return this.call('oneOf', [`[${Object.values(def.entries as Record<string, string>).map(str).join(', ')}]`, this.wording(messageOf(def, path))]);
      case 'optional':
        return this.call('optional', [this.render(def.innerType, path, indent)]);
      case 'array':
        return this.call('array', [this.render(def.element, `${path}[]`, indent), ...checksOf(def).map((c) => this.lengthCheck(c, path))]);
      case 'pipe':
        return this.call('pipe', [this.render(def.in, path, indent), this.render(def.out, path, indent)]);
      default:
        throw new Error(`${path || '(root)'}: zod type "${def.type}" is not compiled; teach scripts/gen-worksheet-shape.ts or keep zod here`);
    }
  }

  private object(def: Def, path: string, indent: string): string {
    const inner = `${indent}  `;
    const shape = def.shape as Record<string, unknown>;
    const fields = Object.entries(shape).map(([key, field]) => `${inner}${key}: ${this.render(field, path ? `${path}.${key}` : key, inner)},`);
    const catchall = def.catchall === undefined ? undefined : defOf(def.catchall).type;
    if (catchall !== undefined && catchall !== 'never') throw new Error(`${path || '(root)'}: an object that keeps unknown fields is not compiled`);
    const options: string[] = [];
    if (catchall === 'never') options.push('strict: true');
    const refinements = checksOf(def).map((c) => {
      const name = c.check === 'custom' ? this.predicateNames.get(c.fn) : undefined;
      if (!name) throw new Error(`${path || '(root)'}: a refinement must be a named predicate of schemas/worksheet-rules.ts`);
      this.predicatesUsed.add(name);
      return `${inner}{ test: ${name}, rule: ${this.wording(messageOf(c, path))}, path: ${JSON.stringify(c.path ?? [])} },`;
    });
    const object = this.call('object', [`{\n${fields.join('\n')}\n${indent}}`, ...(options.length ? [`{ ${options.join(', ')} }`] : [])]);
    return refinements.length ? this.call('refined', [object, `[\n${refinements.join('\n')}\n${indent}]`]) : object;
  }

  private string(def: Def, path: string): string {
    const checks = checksOf(def).map((c) => {
      if (c.check === 'overwrite') {
        // zod keeps the transform as a function: tell trim from toLowerCase by what it does.
        const tx = c.tx as (value: string) => string;
        if (tx(' Ab ') === 'Ab') return this.value('trimmed');
        if (tx(' Ab ') === ' ab ') return this.value('lowerCased');
        throw new Error(`${path}: unknown string transform`);
      }
      if (c.check === 'string_format' && c.format === 'regex') return this.call('matching', [String(c.pattern), this.wording(messageOf(c, path))]);
      return this.lengthCheck(c, path);
    });
    // A string format schema (z.email()) is its own pattern check.
    if (def.format !== undefined) {
      if (!(def.pattern instanceof RegExp)) throw new Error(`${path}: string format "${String(def.format)}" has no pattern`);
      checks.push(this.call('matching', [String(def.pattern), this.wording(messageOf(def, path))]));
    }
    return this.call('string', checks);
  }

  private lengthCheck(c: CheckDef, path: string): string {
    if (c.check === 'min_length') return this.call('minLength', [String(c.minimum), this.wording(messageOf(c, path))]);
    if (c.check === 'max_length') return this.call('maxLength', [String(c.maximum), this.wording(messageOf(c, path))]);
    throw new Error(`${path}: check "${c.check}" is not compiled`);
  }

  private numberCheck(c: CheckDef, path: string): string {
    const message = this.wording(messageOf(c, path));
    if (c.check === 'number_format' && c.format === 'safeint') return this.call('whole', [message]);
    if (c.check === 'greater_than') return this.call(c.inclusive ? 'atLeast' : 'above', [String(c.value), message]);
    if (c.check === 'less_than') return this.call(c.inclusive ? 'atMost' : 'below', [String(c.value), message]);
    throw new Error(`${path}: number check "${c.check}" is not compiled`);
  }
}

/** The checker's source, compiled from the worksheet schema. Pure: the same schema gives the same text. */
export function renderWorksheetShape(schema: z.ZodMiniType = Worksheet): string {
  const compiler = new Compiler();
  const rendered = compiler.render(schema, '', '');
  const shared = [...compiler.wordings].filter(([, uses]) => uses > 1).map(([words]) => words);
  const constant = new Map(shared.map((words, i) => [words, `rule${i + 1}`]));
  const words = [...compiler.wordings.keys()];
  const body = rendered.replace(/__rule#(\d+)__/g, (_, i: string) => {
    const text = words[Number(i)] as string;
    return constant.get(text) ?? str(text);
  });
  const builders = [...compiler.builders].sort();
  const predicatesImported = [...compiler.predicatesUsed].sort();
  return [
    '// Generated by scripts/gen-worksheet-shape.ts from schemas/worksheet.ts (`npm run gen:worksheet-shape`): do not edit.',
    '// The worksheet checked without zod, in zod\'s words and order; test/unit/worksheet-shape.test.ts holds it to the schema.',
    '/* eslint-disable no-useless-escape -- patterns are copied as zod holds them */',
    "import type { Worksheet } from '../../schemas/worksheet.ts';",
    `import { ${predicatesImported.join(', ')} } from '../../schemas/worksheet-rules.ts';`,
    `import { ${builders.join(', ')}, type InputShape } from './input-shape.ts';`,
    '',
    '// Rules worded alike in several places.',
    ...shared.map((words) => `const ${constant.get(words)} = ${str(words)};`),
    '',
    `export const WorksheetShape: InputShape<Worksheet> = ${body};`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = renderWorksheetShape();
  writeFileSync(new URL(`../${OUTPUT}`, import.meta.url), text);
  console.log(`wrote ${OUTPUT} (${text.length} bytes)`);
}
