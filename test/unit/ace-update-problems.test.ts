// The whole-member model check of an update under Action Required (functions/core/ace/update-problems.ts): each member
// sent is checked whole, members not sent are not looked at, and every problem is named under `changes.`.
import { describe, expect, it } from 'vitest';
import { updateProblems } from '../../functions/core/ace/update-problems.ts';

describe('update problems', () => {
  it('a valid member has no problems, and the required members not sent are not asked for', () => {
    expect(updateProblems({ LifeCycle: { TargetCloseDate: '2027-01-31' } })).toEqual([]);
    expect(updateProblems({})).toEqual([]);
  });

  it('a member sent whole is checked whole: a required member within it is named', () => {
    expect(updateProblems({ Customer: { Account: { WebsiteUrl: 'https://x.io' } } })).toEqual([
      { field: 'changes.Customer.Account.CompanyName', rule: 'is required' },
    ]);
  });

  it('the member itself, and problems within list items, are named under changes.', () => {
    expect(updateProblems({ Project: 'x' })).toEqual([{ field: 'changes.Project', rule: 'must be an object' }]);
    expect(updateProblems({ PrimaryNeedsFromAws: ['Co-Sell - Technical Consultation', 'Money'] })).toEqual([
      { field: 'changes.PrimaryNeedsFromAws[1]', rule: expect.stringMatching(/^must be one of: /) },
    ]);
  });

  it('each member sent is checked, whichever of them holds the problem', () => {
    expect(updateProblems({ LifeCycle: { TargetCloseDate: '2027-01-31' }, Project: { Title: 5 } })).toEqual([
      { field: 'changes.Project.Title', rule: 'must be a string' },
    ]);
  });

  it('an unknown member is refused; a model member whose name merely starts like it is not looked at', () => {
    // "Cat" is no member, and Catalog (required, not sent) must not ride in because its name starts with "Cat".
    expect(updateProblems({ Cat: 'AWS' })).toEqual([{ field: 'changes.Cat', rule: 'unknown field not allowed' }]);
    expect(updateProblems({ Client: { Token: 1 } })).toEqual([{ field: 'changes.Client', rule: 'unknown field not allowed' }]);
  });

  it('a member named like a prototype property is unknown too', () => {
    expect(updateProblems({ constructor: 'x' })).toEqual([{ field: 'changes.constructor', rule: 'unknown field not allowed' }]);
  });
});
