// Whose inbox an address reaches (functions/core/mailbox.ts): the folding the intake limits count by, from the rules
// in data/mail-providers.json (their projection).
import { describe, expect, it } from 'vitest';
import { MAIL_PROVIDERS, mailboxOf } from '../../functions/core/mailbox.ts';
import wholeRules from '../../data/mail-providers.json' with { type: 'json' };
import type { RuntimeMailProviders } from '../../schemas/mail-providers.ts';

describe('mailboxOf', () => {
  it('folds case, spaces and plus tags on any domain; the domain is the typed one', () => {
    expect(mailboxOf(' Maya+Credits@Ledgerly.AI ')).toEqual({ mailbox: 'maya@ledgerly.ai', domain: 'ledgerly.ai', publicDomain: false });
    expect(mailboxOf('maya+a+b@ledgerly.ai').mailbox).toBe('maya@ledgerly.ai');
    // Dots count outside the dot-insensitive providers: two people at one company.
    expect(mailboxOf('m.okafor@ledgerly.ai').mailbox).toBe('m.okafor@ledgerly.ai');
  });

  it('keeps a local part that begins with the separator (no name left to fold it into)', () => {
    expect(mailboxOf('+maya@ledgerly.ai').mailbox).toBe('+maya@ledgerly.ai');
  });

  it('on Gmail drops the dots too, and googlemail.com is gmail.com: every spelling is one inbox, a public one', () => {
    const spellings = ['annlee@gmail.com', 'Ann.Lee@gmail.com', 'a.n.n.l.e.e+acme@GMAIL.com', 'ann.lee+x.y@googlemail.com'];
    for (const s of spellings) expect(mailboxOf(s), s).toEqual({ mailbox: 'annlee@gmail.com', domain: 'gmail.com', publicDomain: true });
    // A dot after the tag is part of the tag, gone with it; a different name is a different inbox.
    expect(mailboxOf('ann.leo@gmail.com').mailbox).toBe('annleo@gmail.com');
  });

  it('is the same for its own result (folding twice changes nothing)', () => {
    for (const s of ['Ann.Lee+x@googlemail.com', 'maya+c@ledgerly.ai', 'x@outlook.com']) {
      const once = mailboxOf(s);
      expect(mailboxOf(once.mailbox)).toEqual(once);
    }
  });

  it('reads only its own aliases: a domain named like an Object.prototype member is itself', () => {
    for (const domain of ['constructor', '__proto__', 'tostring', 'hasownproperty']) {
      expect(mailboxOf(`a@${domain}`)).toEqual({ mailbox: `a@${domain}`, domain, publicDomain: false });
    }
  });

  it('marks the public mail services from the data, and only those', () => {
    for (const domain of wholeRules.publicMailDomains) expect(mailboxOf(`someone@${domain}`).publicDomain, domain).toBe(true);
    expect(mailboxOf('someone@ledgerly.ai').publicDomain).toBe(false);
    // A subdomain of a public service is not the service.
    expect(mailboxOf('someone@mail.gmail.com').publicDomain).toBe(false);
  });

  it('follows the rules it is given (the data decides, not the code)', () => {
    const rules: RuntimeMailProviders = { subaddressSeparator: '-', domainAliases: { 'old.example': 'new.example' }, dotInsensitiveDomains: ['new.example'], publicMailDomains: ['new.example'] };
    expect(mailboxOf('a.b-c+d@old.example', rules)).toEqual({ mailbox: 'ab@new.example', domain: 'new.example', publicDomain: true });
    expect(mailboxOf('a.b+d@gmail.com', rules)).toEqual({ mailbox: 'a.b+d@gmail.com', domain: 'gmail.com', publicDomain: false });
  });

  it('loads the projection of the whole file (the rules without sources and notes)', () => {
    expect(MAIL_PROVIDERS).toStrictEqual({
      subaddressSeparator: wholeRules.subaddressSeparator, domainAliases: wholeRules.domainAliases,
      dotInsensitiveDomains: wholeRules.dotInsensitiveDomains, publicMailDomains: wholeRules.publicMailDomains,
    });
  });
});
