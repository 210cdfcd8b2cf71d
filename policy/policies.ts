/**
 * strata's policies, importable without starting the policy server: `index.ts` serves them to the
 * Pulumi engine, `npm run policy` evaluates them over the offline plan, the tests call them directly.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ebsEncrypted, eksEndpointRestricted, eksSecretsEncryption, imdsv2HopLimit, kmsRotation } from "./aws/eks-and-ec2";
import { s3Encrypted, s3PublicAccessBlocked } from "./aws/s3";
import { chartValuesHardened } from "./kubernetes/chart-values";
import { noAddedCapabilities, noHostNamespaces, noHostPath, noHostPorts, noPrivileged, readOnlyRootFilesystem, runAsNonRoot, seccompConfined } from "./kubernetes/pod-security";
import { namespaceDefaultDeny, pdbForReplicated } from "./kubernetes/stack-policies";
import { imageDigests, pinnedImages, probesPresent, resourcesSet } from "./kubernetes/workload-hygiene";
import { statefulVmsProtected } from "./vsphere/protected-vms";

export const PACK_NAME = "strata";

export const STRATA_POLICIES: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [
  noPrivileged,
  noHostNamespaces,
  noHostPorts,
  noHostPath,
  noAddedCapabilities,
  seccompConfined,
  runAsNonRoot,
  readOnlyRootFilesystem,
  resourcesSet,
  pinnedImages,
  imageDigests,
  probesPresent,
  chartValuesHardened,
  pdbForReplicated,
  namespaceDefaultDeny,
  eksSecretsEncryption,
  eksEndpointRestricted,
  imdsv2HopLimit,
  ebsEncrypted,
  s3Encrypted,
  s3PublicAccessBlocked,
  kmsRotation,
  statefulVmsProtected,
];
