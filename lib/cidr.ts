/** Pure IPv4/IPv6 address and CIDR arithmetic (NetworkPolicy ranges and their evaluator). */

export interface ParsedAddress {
  readonly version: 4 | 6;
  readonly value: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): string[] => (half === undefined || half === "" ? [] : half.split(":"));
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

/** Parses a literal IPv4 or IPv6 address; throws on anything else. */
export function parseAddress(text: string): ParsedAddress {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = text.includes(":") ? parseIpv6(text) : undefined;
  if (v6 !== undefined) return { version: 6, value: v6 };
  throw new Error(`not an IP address: ${text}`);
}

export interface ParsedCidr {
  readonly version: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
}

/** Parses `address/prefix` (host bits may be set, as Kubernetes accepts for ipBlock). */
export function parseCidr(text: string): ParsedCidr {
  const [address, prefixText, extra] = text.split("/");
  if (address === undefined || prefixText === undefined || extra !== undefined || !/^\d{1,3}$/.test(prefixText)) throw new Error(`not a CIDR: ${text}`);
  const parsed = parseAddress(address);
  const bits = parsed.version === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (prefix > bits) throw new Error(`not a CIDR: ${text}`);
  const hostBits = BigInt(bits - prefix);
  return { version: parsed.version, network: (parsed.value >> hostBits) << hostBits, prefix };
}

/** Whether `address` lies inside `cidr` (different IP families never match). */
export function cidrContains(cidr: string, address: string): boolean {
  const range = parseCidr(cidr);
  const ip = parseAddress(address);
  if (range.version !== ip.version) return false;
  const hostBits = BigInt((range.version === 4 ? 32 : 128) - range.prefix);
  return (ip.value >> hostBits) << hostBits === range.network;
}

/** The address `index` places into an IPv4 range (`hostAt("10.96.0.0/12", 1)` → `10.96.0.1`). */
export function hostAt(cidr: string, index: number): string {
  const range = parseCidr(cidr);
  if (range.version !== 4) throw new Error(`only IPv4 ranges are supported here: ${cidr}`);
  if (index < 0 || BigInt(index) >= 1n << BigInt(32 - range.prefix)) throw new Error(`${cidr} has no address at index ${index}`);
  const value = range.network + BigInt(index);
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
}

/** The first host address of an IPv4 range (`10.96.0.0/12` → `10.96.0.1`): the API server's Service address. */
export function firstHost(cidr: string): string {
  return hostAt(cidr, 1);
}
