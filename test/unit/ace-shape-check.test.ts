// The model walk of functions/core/ace/shape-check.ts on its own: each shape rule at its boundary, on a small slice
// written here (so every kind of shape and length is reached) and on ACE's own CreateOpportunity slice (the Tags,
// OpportunityTeam and NextStepsHistory members the brief fixture of ace-validate.test.ts never sends).
import { describe, expect, it } from 'vitest';
import { checkAgainstModel, checkAgainstSlice, enumRule, isAbsent } from '../../functions/core/ace/shape-check.ts';
import type { RuntimeShapeSlice } from '../../schemas/runtime-data.ts';

const TWELVE = Array.from({ length: 12 }, (_, i) => `v${i + 1}`);
const THIRTEEN = [...TWELVE, 'v13'];

/** One member of every kind of shape the walk knows. */
const slice: RuntimeShapeSlice = {
  root: 'Root',
  shapes: {
    Root: {
      type: 'structure',
      members: {
        Name: { target: 'Text', required: true },
        Short: { target: 'Text', length: { min: 2, max: 4 } },
        Letters: { target: 'Letters' },
        LettersOverride: { target: 'Letters', pattern: '^[a-z]+$' },
        Email: { target: 'Plain', pattern: '^[a-z]+@[a-z]+$' },
        Bounded: { target: 'Bounded' },
        NonEmpty: { target: 'NonEmpty' },
        Twelve: { target: 'TwelveEnum' },
        Thirteen: { target: 'ThirteenEnum' },
        When: { target: 'Epoch' },
        WhenIso: { target: 'IsoTime' },
        Flag: { target: 'Flag' },
        Count: { target: 'Count' },
        Blob: { target: 'Blob' },
        Items: { target: 'ItemList' },
        PhoneNumber: { target: 'PhoneList' },
        Nested: { target: 'Nested' },
      },
    },
    Text: { type: 'string' },
    Plain: { type: 'string' },
    Letters: { type: 'string', pattern: '^\\p{L}+$' },
    Bounded: { type: 'string', length: { min: 3, max: 5 } },
    NonEmpty: { type: 'string', length: { min: 1 } },
    TwelveEnum: { type: 'enum', values: TWELVE },
    ThirteenEnum: { type: 'enum', values: THIRTEEN },
    Epoch: { type: 'timestamp' },
    IsoTime: { type: 'timestamp', format: 'date-time' },
    Flag: { type: 'boolean' },
    Count: { type: 'integer' },
    Blob: { type: 'document' },
    ItemList: { type: 'list', member: { target: 'Text' }, length: { min: 1, max: 2 } },
    PhoneList: { type: 'list', member: { target: 'Plain', pattern: '^\\+[0-9]+$' } },
    Nested: { type: 'structure', members: { Inner: { target: 'Text', required: true } } },
  },
};

const check = (body: unknown) => checkAgainstSlice(body, slice);
const only = (members: Record<string, unknown>) => check({ Name: 'n', ...members });

describe('structures', () => {
  it('a body with only its required member passes; without it, the member is named', () => {
    expect(check({ Name: 'n' })).toEqual([]);
    expect(check({})).toEqual([{ field: 'Name', rule: 'is required' }]);
    expect(check({ Name: null })).toEqual([{ field: 'Name', rule: 'is required' }]);
  });

  it.each([['null', null], ['a list', []], ['a string', 'x'], ['a number', 1]])('a root that is %s is "not an object", once', (_name, body) => {
    expect(check(body)).toEqual([{ field: '(root)', rule: 'must be an object' }]);
  });

  it('a nested structure sent as a list is refused at its path; an empty one names its required member', () => {
    expect(only({ Nested: ['x'] })).toEqual([{ field: 'Nested', rule: 'must be an object' }]);
    expect(only({ Nested: {} })).toEqual([{ field: 'Nested.Inner', rule: 'is required' }]);
  });

  it('an unknown key is refused only when it carries a value (JSON drops undefined)', () => {
    expect(only({ Extra: undefined })).toEqual([]);
    expect(only({ Extra: null })).toEqual([{ field: 'Extra', rule: 'unknown field not allowed' }]);
    expect(only({ Extra: 0 })).toEqual([{ field: 'Extra', rule: 'unknown field not allowed' }]);
  });

  it('a member named __proto__ (an own key once JSON.parse made it) is an unknown field, not a way round the walk', () => {
    expect(check(JSON.parse('{"Name":"n","__proto__":{"Name":1}}'))).toEqual([{ field: '__proto__', rule: 'unknown field not allowed' }]);
  });
});

describe('strings', () => {
  it('length bounds are inclusive', () => {
    expect(only({ Bounded: 'abc', Short: 'ab' })).toEqual([]);
    expect(only({ Bounded: 'abcde', Short: 'abcd' })).toEqual([]);
    expect(only({ Bounded: 'ab' })).toEqual([{ field: 'Bounded', rule: 'must be at least 3 characters' }]);
    expect(only({ Bounded: 'abcdef' })).toEqual([{ field: 'Bounded', rule: 'must be at most 5 characters' }]);
  });

  it('a member length overrides the shape length', () => {
    expect(only({ Short: 'a' })).toEqual([{ field: 'Short', rule: 'must be at least 2 characters' }]);
    expect(only({ Short: 'abcde' })).toEqual([{ field: 'Short', rule: 'must be at most 4 characters' }]);
  });

  it('a minimum of one character reads "must not be empty"', () => {
    expect(only({ NonEmpty: '' })).toEqual([{ field: 'NonEmpty', rule: 'must not be empty' }]);
    expect(only({ NonEmpty: 'x'.repeat(10_000) })).toEqual([]);
  });

  it('counts characters, not UTF-16 code units', () => {
    // Five astral characters: 10 code units, 5 characters.
    expect(only({ Bounded: '😀😀😀😀😀' })).toEqual([]);
    expect(only({ Bounded: '😀😀😀😀😀😀' })).toEqual([{ field: 'Bounded', rule: 'must be at most 5 characters' }]);
  });

  it('patterns are Unicode patterns (\\p{L} is a letter, not the text "p{L}")', () => {
    expect(only({ Letters: 'Zoë' })).toEqual([]);
    expect(only({ Letters: 'p{L}' })).toEqual([{ field: 'Letters', rule: 'must match ^\\p{L}+$' }]);
  });

  it('a member pattern overrides the shape pattern', () => {
    expect(only({ LettersOverride: 'abc' })).toEqual([]);
    expect(only({ LettersOverride: 'Zoë' })).toEqual([{ field: 'LettersOverride', rule: 'must match ^[a-z]+$' }]);
  });

  it('a pattern gets the readable rule of its shape, else of its member name, else names the pattern', () => {
    // Member named Email over a shape without a readable rule.
    expect(only({ Email: 'A@B' })).toEqual([{ field: 'Email', rule: 'must be a lower-case email address of at most 80 characters' }]);
    // List items take the list's member name.
    expect(only({ PhoneNumber: ['+1', '1'] })).toEqual([{ field: 'PhoneNumber[1]', rule: 'must be an E.164 phone number, e.g. +14155550100' }]);
  });

  it('a non-string is refused', () => {
    expect(only({ Name: 5 })).toEqual([{ field: 'Name', rule: 'must be a string' }]);
  });
});

describe('lists', () => {
  it('item counts are inclusive and read "have … items"', () => {
    expect(only({ Items: ['a'] })).toEqual([]);
    expect(only({ Items: ['a', 'b'] })).toEqual([]);
    expect(only({ Items: [] })).toEqual([{ field: 'Items', rule: 'must have at least 1 items' }]);
    expect(only({ Items: ['a', 'b', 'c'] })).toEqual([{ field: 'Items', rule: 'must have at most 2 items' }]);
  });

  it('null items are refused by index, other items checked at their index', () => {
    expect(only({ Items: ['a', null] })).toEqual([{ field: 'Items[1]', rule: 'must not be null' }]);
    expect(only({ Items: [undefined] })).toEqual([{ field: 'Items[0]', rule: 'must not be null' }]);
    expect(only({ Items: [1] })).toEqual([{ field: 'Items[0]', rule: 'must be a string' }]);
  });

  it('a non-list is refused', () => {
    expect(only({ Items: { 0: 'a' } })).toEqual([{ field: 'Items', rule: 'must be a list' }]);
  });
});

describe('enums', () => {
  it('up to 12 values are listed in full, more are named with three examples', () => {
    expect(enumRule('X', TWELVE)).toBe(`must be one of: ${TWELVE.map((v) => `"${v}"`).join(', ')}`);
    expect(enumRule('X', THIRTEEN)).toBe('must be one of the 13 X values, e.g. "v1", "v2", "v3"');
    expect(only({ Twelve: 'v13' })).toEqual([{ field: 'Twelve', rule: enumRule('TwelveEnum', TWELVE) }]);
    expect(only({ Thirteen: 'v14' })).toEqual([{ field: 'Thirteen', rule: 'must be one of the 13 ThirteenEnum values, e.g. "v1", "v2", "v3"' }]);
  });

  it('a listed value passes; a non-string never does', () => {
    expect(only({ Twelve: 'v12', Thirteen: 'v13' })).toEqual([]);
    expect(only({ Twelve: ['v1'] })).toEqual([{ field: 'Twelve', rule: enumRule('TwelveEnum', TWELVE) }]);
  });
});

describe('timestamps, booleans, numbers, documents', () => {
  it('a timestamp without format takes epoch seconds or an ISO string', () => {
    expect(only({ When: 1_767_225_600 })).toEqual([]);
    expect(only({ When: '2026-01-01T00:00:00Z' })).toEqual([]);
    expect(only({ When: Number.NaN })).toEqual([{ field: 'When', rule: 'must be an ISO 8601 date-time' }]);
    expect(only({ When: 'soon' })).toEqual([{ field: 'When', rule: 'must be an ISO 8601 date-time' }]);
  });

  it('a date-time timestamp takes only a date string', () => {
    expect(only({ WhenIso: '2026-01-01T00:00:00Z' })).toEqual([]);
    expect(only({ WhenIso: 1_767_225_600 })).toEqual([{ field: 'WhenIso', rule: 'must be an ISO 8601 date-time' }]);
    // Date.parse would read these as dates once turned into text ("2026", "2026-01-01T00:00:00Z"): they are not strings.
    expect(only({ WhenIso: 2026 })).toEqual([{ field: 'WhenIso', rule: 'must be an ISO 8601 date-time' }]);
    expect(only({ When: ['2026-01-01T00:00:00Z'] })).toEqual([{ field: 'When', rule: 'must be an ISO 8601 date-time' }]);
  });

  it('a boolean is true or false, never its string', () => {
    expect(only({ Flag: false })).toEqual([]);
    expect(only({ Flag: 'true' })).toEqual([{ field: 'Flag', rule: 'must be true or false' }]);
  });

  it('a number is a finite number', () => {
    expect(only({ Count: 0 })).toEqual([]);
    expect(only({ Count: '1' })).toEqual([{ field: 'Count', rule: 'must be a number' }]);
    expect(only({ Count: Number.POSITIVE_INFINITY })).toEqual([{ field: 'Count', rule: 'must be a number' }]);
  });

  it('a document takes anything', () => {
    expect(only({ Blob: { any: ['thing', 1, null] } })).toEqual([]);
  });

  it('a reference to a shape the slice lacks is an error naming it and the command', () => {
    const broken: RuntimeShapeSlice = { root: 'Root', shapes: { Root: { type: 'structure', members: { X: { target: 'Gone' } } } } };
    expect(() => checkAgainstSlice({ X: 1 }, broken)).toThrow('shape slice has no Gone: regenerate with npm run gen:ace');
  });
});

describe('isAbsent', () => {
  it('undefined and null are absent; falsy values are not', () => {
    expect([undefined, null, 0, '', false].map(isAbsent)).toEqual([true, true, false, false, false]);
  });
});

describe("ACE's CreateOpportunity slice", () => {
  const base = { Catalog: 'AWS', ClientToken: 't' };

  it('Tags: at least one, keys and values in Unicode letters', () => {
    expect(checkAgainstModel({ ...base, Tags: [{ Key: 'Équipe', Value: 'Zoë' }] })).toEqual([]);
    expect(checkAgainstModel({ ...base, Tags: [] })).toEqual([{ field: 'Tags', rule: 'must have at least 1 items' }]);
    expect(checkAgainstModel({ ...base, Tags: [{ Key: 'a;b', Value: '' }] })).toEqual([{ field: 'Tags[0].Key', rule: `must match ${'^(?=.{1,128}$)([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$'}` }]);
  });

  it('OpportunityTeam: at most 10 members, each a contact', () => {
    const member = { FirstName: 'A', Email: 'a@b.io' };
    expect(checkAgainstModel({ ...base, OpportunityTeam: Array.from({ length: 10 }, () => member) })).toEqual([]);
    expect(checkAgainstModel({ ...base, OpportunityTeam: Array.from({ length: 11 }, () => member) })).toEqual([{ field: 'OpportunityTeam', rule: 'must have at most 10 items' }]);
    expect(checkAgainstModel({ ...base, OpportunityTeam: [{ Email: 'A@b.io' }] })).toEqual([{ field: 'OpportunityTeam[0].Email', rule: 'must be a lower-case email address of at most 80 characters' }]);
  });

  it('a readable rule for a shape pattern (CatalogIdentifier, ClientToken)', () => {
    expect(checkAgainstModel({ Catalog: 'AWS-1', ClientToken: '' })).toEqual([
      { field: 'Catalog', rule: 'must be letters only: AWS or Sandbox' },
      { field: 'ClientToken', rule: 'must be 1 to 255 characters on one line' },
    ]);
  });
});
