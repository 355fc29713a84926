// Editing a drafted brief (functions/core/ace/edit.ts) beyond RFC 7396's examples (review.test.ts): the merge never
// shares memory with the patch, changed paths are named exactly, and what a partner may change is decided on the
// field's path whatever the list index and whatever the value's shape.
import { describe, expect, it } from 'vitest';
import { ACTION_REQUIRED_EDITABLE, applyMergePatch, changedPaths, editProblems } from '../../functions/core/ace/edit.ts';

const AR_RULE = /^cannot be changed while the record is in Action Required/;

describe('applyMergePatch', () => {
  it('copies what the patch brings: changing the patch afterwards leaves the result alone', () => {
    const patch = { a: { b: [1, { c: 2 }] }, d: ['x'] };
    const out = applyMergePatch({ a: 1 }, patch) as { a: { b: [number, { c: number }] }; d: string[] };
    patch.a.b.push(3);
    (patch.a.b[1] as { c: number }).c = 9;
    patch.d.push('y');
    expect(out).toEqual({ a: { b: [1, { c: 2 }] }, d: ['x'] });
  });

  it('a patch object over a non-object target starts from an empty object', () => {
    expect(applyMergePatch('text', { a: 1, b: null })).toEqual({ a: 1 });
    expect(applyMergePatch(['x'], { 0: 'y' })).toEqual({ 0: 'y' });
  });

  it('keeps falsy values the patch sets (only null removes)', () => {
    expect(applyMergePatch({ a: 1, b: 2, c: 3 }, { a: 0, b: '', c: false })).toEqual({ a: 0, b: '', c: false });
  });
});

describe('applyMergePatch with a member named __proto__ (JSON.parse makes it an own member)', () => {
  it('keeps it a member at any depth: the result keeps its prototype, and the member can be seen and refused', () => {
    const patch: unknown = JSON.parse('{"__proto__":{"polluted":true},"Project":{"__proto__":{"Title":"x"}}}');
    const out = applyMergePatch({ Project: { Title: 'Kept' } }, patch) as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(out.Project)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['Project', '__proto__']);
    expect(Object.keys(out.Project!)).toEqual(['Title', '__proto__']);
    expect((out as Record<string, unknown>).polluted).toBeUndefined();
    expect(out.Project!.Title).toBe('Kept');
  });
});

describe('changedPaths', () => {
  it('names nothing for equal values and (root) for a changed scalar root', () => {
    expect(changedPaths({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(changedPaths('a', 'b')).toEqual(['(root)']);
    expect(changedPaths([1], [1, 2])).toEqual(['(root)']);
  });

  it('names list items by index and nested members by dots, keys sorted', () => {
    expect(changedPaths({ z: 1, a: [{ b: 1 }, { b: 2 }] }, { z: 2, a: [{ b: 1 }, { b: 3 }] })).toEqual(['a[1].b', 'z']);
    expect(changedPaths([0, 1], [0, 2])).toEqual(['[1]']);
  });

  it('a member added or removed is a changed path', () => {
    expect(changedPaths({ a: 1 }, { a: 1, b: 2 })).toEqual(['b']);
    expect(changedPaths({ a: 1, b: 2 }, { a: 1 })).toEqual(['b']);
  });

  it('an object turned into a list (or back) is one changed path', () => {
    expect(changedPaths({ a: { 0: 'x' } }, { a: ['x'] })).toEqual(['a']);
    expect(changedPaths({ a: ['x'] }, { a: { 0: 'x' } })).toEqual(['a']);
    expect(changedPaths({ a: ['x'] }, { a: 'x' })).toEqual(['a']);
    expect(changedPaths({ a: { b: 1 } }, { a: 'b' })).toEqual(['a']);
  });
});

describe('editProblems', () => {
  const spend = (n: number) => Array.from({ length: n }, () => ({ Amount: '10.00', CurrencyCode: 'USD', Frequency: 'Monthly', TargetCompany: 'AWS' }));

  it('in Action Required, every field ACE lists may change', () => {
    for (const field of ACTION_REQUIRED_EDITABLE) {
      const [head, tail] = field.split('[]');
      const path = `${head}[0]${tail ?? ''}`;
      const before = field.includes('[]') ? nested(head as string, [nested((tail as string).slice(1), 'a')]) : nested(field, 'a');
      const after = field.includes('[]') ? nested(head as string, [nested((tail as string).slice(1), 'b')]) : nested(field, 'b');
      expect(changedPaths(before, after), field).toEqual([field.includes('[]') ? path : field]);
      expect(editProblems(before, after, 'action_required'), field).toEqual([]);
    }
  });

  it('in Action Required, a spend line at any index (two digits too) may change its amount, not its frequency', () => {
    const before = { Project: { ExpectedCustomerSpend: spend(11) } };
    const after = structuredClone(before);
    after.Project.ExpectedCustomerSpend[10]!.Amount = '20.00';
    after.Project.ExpectedCustomerSpend[3]!.Frequency = 'Yearly';
    expect(editProblems(before, after, 'action_required')).toEqual([
      { field: 'Project.ExpectedCustomerSpend[3].Frequency', rule: expect.stringMatching(AR_RULE) },
    ]);
  });

  it('in Action Required, adding a spend line is refused (the list is one changed path)', () => {
    const before = { Project: { ExpectedCustomerSpend: spend(1) } };
    expect(editProblems(before, { Project: { ExpectedCustomerSpend: spend(2) } }, 'action_required')).toEqual([
      { field: 'Project.ExpectedCustomerSpend', rule: expect.stringMatching(AR_RULE) },
    ]);
  });

  it('the rule names what may change', () => {
    const [problem] = editProblems({ Origin: 'a' }, { Origin: 'b' }, 'action_required');
    expect(problem).toEqual({
      field: 'Origin',
      rule: 'cannot be changed while the record is in Action Required: ACE lets a partner change only the customer address, ' +
        'Customer.Account.WebsiteUrl, LifeCycle.TargetCloseDate, Project.ExpectedCustomerSpend Amount/CurrencyCode, ' +
        'Project.CustomerBusinessProblem and PartnerOpportunityIdentifier',
    });
  });

  it('in a draft, any field but the service-managed ones may change', () => {
    expect(editProblems({ Origin: 'a', Project: { Title: 'x' } }, { Origin: 'b', Project: { Title: 'y' } }, 'draft')).toEqual([]);
  });

  it('Catalog and ClientToken are refused in both modes, whatever shape the value takes', () => {
    for (const mode of ['draft', 'action_required'] as const) {
      expect(editProblems({ ClientToken: ['a'] }, { ClientToken: ['b'] }, mode)).toEqual([
        { field: 'ClientToken[0]', rule: 'is set by the service and cannot be edited' },
      ]);
      expect(editProblems({ Catalog: { x: 1 } }, { Catalog: { x: 2 } }, mode)).toEqual([
        { field: 'Catalog.x', rule: 'is set by the service and cannot be edited' },
      ]);
    }
  });

  it('a field that merely starts like a service-managed one is an ordinary field', () => {
    expect(editProblems({ CatalogNote: 'a' }, { CatalogNote: 'b' }, 'draft')).toEqual([]);
  });
});

/** `{ A: { B: value } }` from the path `A.B`. */
function nested(path: string, value: unknown): unknown {
  return path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}
