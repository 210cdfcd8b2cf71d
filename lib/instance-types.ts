/**
 * EC2 instance types the EKS backend accepts, with the capacity each node offers. Node pools in
 * `InfraOutputs` are sized from this table, so a type missing here is rejected by the config
 * schema rather than guessed.
 */
import type { CpuArchitecture } from "./catalog";

export interface InstanceCapacity {
  readonly vcpu: number;
  readonly memoryGi: number;
  readonly architecture: CpuArchitecture;
}

const x86 = (vcpu: number, memoryGi: number): InstanceCapacity => ({ vcpu, memoryGi, architecture: "x86_64" });
const arm = (vcpu: number, memoryGi: number): InstanceCapacity => ({ vcpu, memoryGi, architecture: "arm64" });

/** Burstable, general purpose, compute and memory optimised families, `large` to `4xlarge`. */
export const INSTANCE_TYPES = {
  "t3.medium": x86(2, 4),
  "t3.large": x86(2, 8),
  "t3.xlarge": x86(4, 16),
  "t3.2xlarge": x86(8, 32),
  "t3a.medium": x86(2, 4),
  "t3a.large": x86(2, 8),
  "t3a.xlarge": x86(4, 16),
  "t3a.2xlarge": x86(8, 32),
  "m6i.large": x86(2, 8),
  "m6i.xlarge": x86(4, 16),
  "m6i.2xlarge": x86(8, 32),
  "m6i.4xlarge": x86(16, 64),
  "m7i.large": x86(2, 8),
  "m7i.xlarge": x86(4, 16),
  "m7i.2xlarge": x86(8, 32),
  "m7i.4xlarge": x86(16, 64),
  "c6i.large": x86(2, 4),
  "c6i.xlarge": x86(4, 8),
  "c6i.2xlarge": x86(8, 16),
  "c7i.large": x86(2, 4),
  "c7i.xlarge": x86(4, 8),
  "c7i.2xlarge": x86(8, 16),
  "r6i.large": x86(2, 16),
  "r6i.xlarge": x86(4, 32),
  "r6i.2xlarge": x86(8, 64),
  "r7i.large": x86(2, 16),
  "r7i.xlarge": x86(4, 32),
  "r7i.2xlarge": x86(8, 64),
  "m7g.large": arm(2, 8),
  "m7g.xlarge": arm(4, 16),
  "m7g.2xlarge": arm(8, 32),
  "c7g.large": arm(2, 4),
  "c7g.xlarge": arm(4, 8),
  "r7g.large": arm(2, 16),
  "r7g.xlarge": arm(4, 32),
  "r7g.2xlarge": arm(8, 64),
} as const satisfies Record<string, InstanceCapacity>;

export type InstanceType = keyof typeof INSTANCE_TYPES;
export const INSTANCE_TYPE_NAMES = Object.keys(INSTANCE_TYPES) as InstanceType[];

export function isInstanceType(value: string): value is InstanceType {
  return Object.hasOwn(INSTANCE_TYPES, value);
}

/**
 * Per-node capacity a pool can promise when it may launch any of `types`: the smallest vCPU
 * count and memory among them, so schedulers and quotas never over-commit.
 */
export function poolCapacity(types: readonly InstanceType[]): { readonly cpuCores: number; readonly memoryGi: number } {
  if (types.length === 0) throw new Error("poolCapacity: at least one instance type is required");
  const entries = types.map((type) => INSTANCE_TYPES[type]);
  return { cpuCores: Math.min(...entries.map((e) => e.vcpu)), memoryGi: Math.min(...entries.map((e) => e.memoryGi)) };
}
