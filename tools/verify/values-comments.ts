/**
 * Keys a chart documents only as commented-out YAML in values.yaml, such as
 *
 *   installation:
 *     enabled: true
 *     # calicoNetwork:
 *     #   ipPools: …
 *
 * A commented key counts when its `#` sits at the indentation of the map's own keys and is
 * followed by exactly one space, so deeper commented lines (`#   ipPools:`) do not count for the
 * outer map.
 */
import { type Document, isMap, parseDocument } from "yaml";

const COMMENTED_KEY = /^( *)# ([A-Za-z0-9_.\-/]+):(\s|$)/;

const documents = new Map<string, Document>();

/** Keys commented out directly inside the map at `keys` (empty for the top level) of a values.yaml text. */
export function commentedKeysAt(valuesText: string, keys: readonly string[]): Set<string> {
  let document = documents.get(valuesText);
  if (document === undefined) {
    document = parseDocument(valuesText);
    documents.set(valuesText, document);
  }
  const node = keys.length === 0 ? document.contents : document.getIn(keys, true);
  if (!isMap(node) || node.range === null || node.range === undefined) {
    return new Set();
  }
  const [start, , end] = node.range;
  const firstKey = node.items[0]?.key as { range?: [number, number, number] } | undefined;
  const keyOffset = firstKey?.range?.[0] ?? start;
  const indent = keyOffset - (valuesText.lastIndexOf("\n", keyOffset - 1) + 1);
  const found = new Set<string>();
  for (const line of valuesText.slice(valuesText.lastIndexOf("\n", start - 1) + 1, end).split("\n")) {
    const match = COMMENTED_KEY.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined && match[1].length === indent) {
      found.add(match[2]);
    }
  }
  return found;
}
