/** Named conditions the ACE rule table refers to; their meaning is code in functions/core/ace/submission-rules.ts. */
export const CONDITIONS = [
  'catalogIsAws', 'industryIsOther', 'nationalSecurity', 'countryIsUs', 'countryIsNotUs', 'countryHasPostalCodes',
  'countryHasNoPostalCodes', 'competitorIsOther', 'flatRenewal', 'closedLost', 'marketingActivity',
  'marketingSourceNone', 'awsFundingNotUsed', 'blankString',
] as const;
