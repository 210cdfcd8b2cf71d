/**
 * The environments a stack can be. A leaf module: layer slices read the type without importing
 * the whole schema, which imports them.
 */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
