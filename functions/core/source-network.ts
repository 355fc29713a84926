/**
 * The network a request comes from, as the per-source intake limit counts it (functions/usecases/submit-worksheet.ts):
 * - an IPv4 address as it is;
 * - an IPv6 address by its /64, the block one subscriber is given: a host may pick any address within it, so counting
 *   single IPv6 addresses would count nothing;
 * - an IPv4-mapped IPv6 address (`::ffff:203.0.113.9`) as its IPv4 address.
 * Undefined for anything that is not an IP address (then there is no source to count).
 *
 * The source is API Gateway's `requestContext.http.sourceIp`, the TCP peer: not a header a client can write.
 */
import { isIPv4, isIPv6 } from 'node:net';

export function sourceNetwork(ip: string | undefined): string | undefined {
  const text = ip ?? '';
  if (isIPv4(text)) return text;
  if (!isIPv6(text)) return undefined;
  const groups = ipv6Groups(text);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of an address `isIPv6` accepted (`::` filled in, a dotted IPv4 tail and a zone read). */
function ipv6Groups(ip: string): number[] {
  let text = ip.split('%')[0] as string;
  const tailAt = text.lastIndexOf(':') + 1;
  const tail = text.slice(tailAt);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, tailAt)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const front = head === '' ? [] : head.split(':');
  const back = rest ? rest.split(':') : [];
  // Without `::` the eight groups are all there: nothing to fill.
  const zeros = Array.from({ length: 8 - front.length - back.length }, () => '0');
  return [...front, ...zeros, ...back].map((g) => parseInt(g, 16));
}
