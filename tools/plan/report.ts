/**
 * What `npm run plan` needs once the program has run: leak checks, notes, cost, capacity,
 * connections, diff and files. One module so tools/plan.ts can load it while the program's process
 * runs (its modules, the config schema among them, were a fifth of a second before the run started).
 */
export { spotServiceLinkedRoleNote } from "../../config/cluster/spot-service-linked-role";
export { grafanaSingleReplicaNote, lokiSingleReplicaNote, runbookBaseUrlNote, tempoSingleReplicaNote } from "../../config/platform/observability";
export { telemetryBucketPurposes } from "../../config/platform/telemetry-buckets";
export { formatConnectionTable, proveConnections } from "../connections";
export { formatLeak, leaksIn, leaksInText } from "../engine/leaks";
export { planSummary } from "../engine/summary";
export { renderFiles, writeOut } from "../engine/write-out";
export { planAtRefWithConfig } from "./at-ref";
export { formatBackupCoverage } from "./backups";
export { parseStackConfig, planCapacity } from "./capacity";
export { estimateMonthlyCost, formatCostEstimate } from "./cost";
export { diffPlans, formatDiff } from "./diff";
export { changedAndDependents, writeGraph } from "./graph";
export { formatRateLimits } from "./rate-limits";
export { changedSecureKeys, secretReceivers, secureCiphertexts } from "./secret-changes";
