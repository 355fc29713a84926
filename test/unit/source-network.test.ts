// The network the per-source intake limit counts a request against (functions/core/source-network.ts).
import { describe, expect, it } from 'vitest';
import { sourceNetwork } from '../../functions/core/source-network.ts';

describe('sourceNetwork', () => {
  it('an IPv4 address is its own network', () => {
    expect(sourceNetwork('203.0.113.9')).toBe('203.0.113.9');
    expect(sourceNetwork('10.0.0.1')).not.toBe(sourceNetwork('10.0.0.2'));
  });

  it('an IPv6 address counts by its /64: every address a host can pick in its block is one network', () => {
    expect(sourceNetwork('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(sourceNetwork('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(sourceNetwork('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    // Compressed anywhere, upper or lower case, with a zone: the same groups.
    expect(sourceNetwork('2001:DB8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceNetwork('2001:db8:0:0:1::')).toBe('2001:db8:0:0::/64');
    expect(sourceNetwork('1::')).toBe('1:0:0:0::/64');
    expect(sourceNetwork('::1')).toBe('0:0:0:0::/64');
    expect(sourceNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(sourceNetwork('::')).toBe('0:0:0:0::/64');
  });

  it('an IPv4-mapped IPv6 address is its IPv4 address; another IPv4 tail is read as the last two groups', () => {
    expect(sourceNetwork('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(sourceNetwork('::FFFF:198.51.100.255')).toBe('198.51.100.255');
    expect(sourceNetwork('::ffff:0:203.0.113.9')).toBe('0:0:0:0::/64'); // SIIT-translated, not mapped
    expect(sourceNetwork('0::ffff:203.0.113.9')).toBe('203.0.113.9'); // zeros before the `::` as well
    expect(sourceNetwork('::ffff:1')).toBe('0:0:0:0::/64'); // no dotted tail: ffff is the seventh group, not the sixth
    expect(sourceNetwork('64:ff9b::203.0.113.9')).toBe('64:ff9b:0:0::/64');
    expect(sourceNetwork('2001:db8:1:2:3:4:1.2.3.4')).toBe('2001:db8:1:2::/64');
    // The tail becomes the last two groups: a mapped-looking prefix with a non-zero group is no mapped address.
    expect(sourceNetwork('0:0:0:0:1:ffff:1.2.3.4')).toBe('0:0:0:0::/64');
  });

  it('nothing to count for what is no IP address', () => {
    for (const text of [undefined, '', 'localhost', '1.2.3', '256.1.1.1', '1.2.3.4:80', '2001:db8::1::2', ' 1.2.3.4']) {
      expect(sourceNetwork(text), String(text)).toBeUndefined();
    }
  });
});
