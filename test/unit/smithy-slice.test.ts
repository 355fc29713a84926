/**
 * Slicing a Smithy JSON model (functions/core/ace/smithy-slice.ts): what the validator gets from each shape type and
 * trait, the closure and its order, and the errors that stop the generator on a model it does not understand. Small
 * models are built inside each test; the vendored models are sliced by test/unit/ace-model.test.ts.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildShapeSlice, MODEL_FILE, type SmithyModel } from '../../functions/core/ace/smithy-slice.ts';

const NS = 'com.amazonaws.partnercentralselling#';
type Shapes = SmithyModel['shapes'];
const model = (shapes: Shapes): SmithyModel => ({ smithy: '2.0', shapes });
/** A model whose CreateOpportunityRequest has the given members, plus other shapes. */
const withRoot = (members: Record<string, { target: string; traits?: Record<string, unknown> }>, shapes: Shapes = {}): SmithyModel =>
  model({ [`${NS}CreateOpportunityRequest`]: { type: 'structure', members }, ...shapes });
const slice = (m: SmithyModel) => buildShapeSlice(m, JSON.stringify(m));

describe('buildShapeSlice: the closure of the input shape', () => {
  it('walks from CreateOpportunityRequest through structures and lists to the prelude, and leaves the rest out', () => {
    const m = withRoot({ Customer: { target: `${NS}Customer` }, Tags: { target: `${NS}TagList` } }, {
      [`${NS}Customer`]: { type: 'structure', members: { Name: { target: 'smithy.api#String' }, Employees: { target: 'smithy.api#Integer' } } },
      [`${NS}TagList`]: { type: 'list', member: { target: `${NS}Tag` } },
      [`${NS}Tag`]: { type: 'string' },
      [`${NS}UpdateOpportunityRequest`]: { type: 'structure', members: {} },
      [`${NS}AWSPartnerCentralSelling`]: { type: 'service', version: '2022-07-26' },
    });
    const text = JSON.stringify(m);
    const result = buildShapeSlice(m, text);
    expect(result.root).toBe('CreateOpportunityRequest');
    // Sorted by name, whatever order the walk met them in.
    expect(Object.keys(result.shapes)).toEqual(['CreateOpportunityRequest', 'Customer', 'Integer', 'String', 'Tag', 'TagList']);
    expect(result.shapes.Customer).toEqual({ type: 'structure', members: { Name: { target: 'String' }, Employees: { target: 'Integer' } } });
    expect(result.shapes.String).toEqual({ type: 'string' });
    expect(result.shapes.Integer).toEqual({ type: 'integer' });
    expect(result.shapes.TagList).toEqual({ type: 'list', member: { target: 'Tag' } });
    expect(result.source).toMatchObject({ file: MODEL_FILE, sha256: createHash('sha256').update(text).digest('hex'), serviceVersion: '2022-07-26' });
    expect(result.source.note).toContain('npm run gen:ace');
  });

  it('slices each shape once, also when shapes refer to each other', () => {
    const m = withRoot({ Parent: { target: `${NS}Node` } }, {
      [`${NS}Node`]: { type: 'structure', members: { Children: { target: `${NS}NodeList` }, Again: { target: `${NS}Node` } } },
      [`${NS}NodeList`]: { type: 'list', member: { target: `${NS}Node` } },
    });
    expect(Object.keys(slice(m).shapes)).toEqual(['CreateOpportunityRequest', 'Node', 'NodeList']);
  });

  it('slices another operation of another model when asked (the Benefits model, the local stand-in)', () => {
    const ns = 'com.amazonaws.partnercentralbenefits#';
    const m = model({
      [`${ns}CreateBenefitApplicationInput`]: { type: 'structure', members: { Name: { target: `${ns}Name`, traits: { 'smithy.api#required': {} } } } },
      [`${ns}Name`]: { type: 'string', traits: { 'smithy.api#length': { min: 1, max: 64 } } },
    });
    const result = buildShapeSlice(m, '{}', { root: 'CreateBenefitApplicationInput', namespace: ns, file: 'data/ace/benefits.json' });
    expect(result.root).toBe('CreateBenefitApplicationInput');
    expect(result.shapes).toEqual({
      CreateBenefitApplicationInput: { type: 'structure', members: { Name: { target: 'Name', required: true } } },
      Name: { type: 'string', length: { min: 1, max: 64 } },
    });
    // No service shape in the model: the version is said to be unknown rather than invented.
    expect(result.source).toMatchObject({ file: 'data/ace/benefits.json', serviceVersion: 'unknown' });
  });
});

describe('buildShapeSlice: what the validator gets from each shape and trait', () => {
  it('marks required members only, and lets member traits override the target (CompanyName 120 over Name 80)', () => {
    const m = withRoot({
      CompanyName: { target: `${NS}Name`, traits: { 'smithy.api#required': {}, 'smithy.api#pattern': '^(?s).{0,120}$' } },
      Nickname: { target: `${NS}Name` },
    }, { [`${NS}Name`]: { type: 'string', traits: { 'smithy.api#pattern': '^(?s).{0,80}$' } } });
    const { shapes } = slice(m);
    expect(shapes.CreateOpportunityRequest).toEqual({
      type: 'structure',
      members: { CompanyName: { target: 'Name', required: true, length: { min: 0, max: 120 } }, Nickname: { target: 'Name' } },
    });
    expect(shapes.Name).toEqual({ type: 'string', length: { min: 0, max: 80 } });
  });

  it('keeps real patterns, turns ^(?s).{min,max}$ into lengths, and refuses any other (?s) pattern', () => {
    const string = (traits: Record<string, unknown>) => slice(withRoot({ Value: { target: `${NS}Value` } }, { [`${NS}Value`]: { type: 'string', traits } })).shapes.Value;
    expect(string({ 'smithy.api#pattern': '^[A-Z]{2}$' })).toEqual({ type: 'string', pattern: '^[A-Z]{2}$' });
    expect(string({ 'smithy.api#pattern': '^(?s).{3,255}$' })).toEqual({ type: 'string', length: { min: 3, max: 255 } });
    expect(string({})).toEqual({ type: 'string' });
    expect(() => string({ 'smithy.api#pattern': '^(?s)[a-z].*$' })).toThrow('unsupported (?s) pattern: ^(?s)[a-z].*$');
  });

  it('keeps the length bounds the model states, including a minimum of 0', () => {
    const list = (length: Record<string, number>) => slice(withRoot({ Items: { target: `${NS}Items` } }, {
      [`${NS}Items`]: { type: 'list', member: { target: 'smithy.api#String' }, traits: { 'smithy.api#length': length } },
    })).shapes.Items;
    expect(list({ min: 0, max: 10 })).toEqual({ type: 'list', member: { target: 'String' }, length: { min: 0, max: 10 } });
    expect(list({ min: 1 })).toEqual({ type: 'list', member: { target: 'String' }, length: { min: 1 } });
    expect(list({ max: 5 })).toEqual({ type: 'list', member: { target: 'String' }, length: { max: 5 } });
  });

  it('gives an enum its values (its members target smithy.api#Unit, which is not a shape to walk)', () => {
    const m = withRoot({ Stage: { target: `${NS}Stage` } }, {
      [`${NS}Stage`]: {
        type: 'enum',
        members: { PROSPECT: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 'Prospect' } }, QUALIFIED: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 'Qualified' } } },
      },
    });
    expect(slice(m).shapes.Stage).toEqual({ type: 'enum', values: ['Prospect', 'Qualified'] });
  });

  it('gives an enum member without an enumValue trait its name as value (Smithy 2.0: the value defaults to the name)', () => {
    const m = withRoot({ Suit: { target: `${NS}Suit` } }, {
      [`${NS}Suit`]: { type: 'enum', members: { DIAMOND: { target: 'smithy.api#Unit' }, CLUB: { target: 'smithy.api#Unit', traits: { 'smithy.api#enumValue': 'club' } } } },
    });
    expect(slice(m).shapes.Suit).toEqual({ type: 'enum', values: ['DIAMOND', 'club'] });
  });

  it('keeps a timestamp format, and the scalar types as they are', () => {
    const m = withRoot({
      Closes: { target: `${NS}DateTime` }, At: { target: 'smithy.api#Timestamp' }, Flag: { target: 'smithy.api#Boolean' }, Big: { target: 'smithy.api#Long' },
      Ratio: { target: 'smithy.api#Double' }, Rate: { target: `${NS}Rate` }, Extra: { target: 'smithy.api#Document' },
    }, { [`${NS}DateTime`]: { type: 'timestamp', traits: { 'smithy.api#timestampFormat': 'date-time' } }, [`${NS}Rate`]: { type: 'float' } });
    const { shapes } = slice(m);
    expect(shapes.DateTime).toEqual({ type: 'timestamp', format: 'date-time' });
    expect(shapes.Timestamp).toEqual({ type: 'timestamp' });
    expect([shapes.Boolean, shapes.Long, shapes.Double, shapes.Rate, shapes.Document]).toEqual(
      [{ type: 'boolean' }, { type: 'long' }, { type: 'double' }, { type: 'float' }, { type: 'document' }],
    );
  });
});

describe('buildShapeSlice: a model the generator does not understand stops it, naming the shape', () => {
  it('refuses an unsupported shape type, a list without member, an unknown shape and one outside the namespace', () => {
    expect(() => slice(withRoot({ Choice: { target: `${NS}Choice` } }, { [`${NS}Choice`]: { type: 'union', members: {} } })))
      .toThrow(`unsupported shape type union (${NS}Choice): extend the generator and the validator`);
    expect(() => slice(withRoot({ Tags: { target: `${NS}Tags` } }, { [`${NS}Tags`]: { type: 'list' } }))).toThrow(`list without member: ${NS}Tags`);
    expect(() => slice(withRoot({ Gone: { target: `${NS}Missing` } }))).toThrow(`unknown shape ${NS}Missing`);
    expect(() => slice(withRoot({ Foreign: { target: 'com.example#Thing' } }))).toThrow('shape outside the service namespace: com.example#Thing');
  });
});
