/**
 * `VsphereCluster`: from an empty vCenter folder to a working HA kubeadm cluster in one
 * `pulumi up`. Node VMs boot with cloud-init; the first control plane runs `kubeadm init` with
 * strata's CAs, every other node joins with a Pulumi-made token; a readiness gate waits for
 * `/readyz` through the VIP before the cluster layer starts.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { VsphereInfraConfig } from "../../config/infra/vsphere";
import type { InfraOutputs } from "../../lib/contracts";
import { VsphereAccess } from "./access";
import { autoscaledPools } from "./autoscaled-pools";
import { fallbackWarning, serviceAccounts } from "./accounts";
import * as vsphere from "./binding";
import { type BootstrapPlan, type DocumentStage, nodeDocuments } from "./bootstrap";
import { dataDiskSets } from "./data-disks";
import { lookupInventory } from "./inventory";
import { joinTokenSecret } from "./join-token";
import { nodeVirtualMachine } from "./node-vm";
import { adminKubeconfig, ClusterPki } from "./pki";
import { describePools, isKubernetesNode, isStateful, nodeSpecs } from "./pools";
import { type VsphereCredentials, vsphereProvider } from "./provider";
import { bootstrapMaterial } from "./material";
import { ApiReadiness } from "./readiness";
import { memberCheck, memberTriggers, predecessors, rollsOneAtATime } from "./rollout";
import { JoinSecrets } from "./tokens";
import { bootstrapPlan, kubernetesRelease } from "./plan";

export const VSPHERE_CLUSTER_DEFAULTS = {
  protectStatefulResources: false,
  /** VM clones, package installs and kubeadm init fit in well under 30 minutes. */
  readinessTimeoutSeconds: 1800,
} as const;

/**
 * Which documents a VM's configuration holds: bootstrap ones until `vsphere.bootstrapped` says the
 * cluster runs; then none with key material, except for control planes listed in
 * `vsphere.keyMaterialFor` (a replacement must join with the certificate and encryption keys).
 */
export function documentStage(vs: Pick<VsphereInfraConfig["vsphere"], "bootstrapped" | "keyMaterialFor">, vmName: string): DocumentStage {
  if (!vs.bootstrapped) return "bootstrap";
  return vs.keyMaterialFor.includes(vmName) ? "rejoin" : "running";
}

/**
 * The cluster's identity for the Kubernetes provider: its name and its CA. The admin certificate
 * may renew without a new provider; a new CA is a new cluster and replaces it.
 */
export function clusterIdentity(clusterName: string, caCertPem: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(caCertPem).apply((pem) => `${clusterName}/ca-sha256:${createHash("sha256").update(pem).digest("hex").slice(0, 16)}`);
}

export interface VsphereClusterArgs {
  /** The validated `strata:infra` slice for the vSphere backend. */
  readonly infra: VsphereInfraConfig;
  /** vCenter credentials, read from the `vsphere:*` config namespace by the infra entry point. */
  readonly credentials: VsphereCredentials;
  /** Protect database and storage VMs from deletion. @default false */
  readonly protectStatefulResources?: boolean;
  /** How long the readiness gate waits for `/readyz`. @default 1800 */
  readonly readinessTimeoutSeconds?: number;
}

export class VsphereCluster extends pulumi.ComponentResource {
  public readonly outputs: InfraOutputs;
  /** Node VMs by name. */
  public readonly machines: Readonly<Record<string, vsphere.VirtualMachine>>;

  constructor(name: string, args: VsphereClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:infra:VsphereCluster", name, {}, opts);
    const { infra } = args;
    const vs = infra.vsphere;
    const provider = vsphereProvider(name, args.credentials, { parent: this });
    const inventory = lookupInventory(vs, { parent: this, provider });
    const folder = new vsphere.Folder(`${name}-folder`, { path: vs.folder ?? infra.clusterName, type: "vm", datacenterId: inventory.datacenterId }, { parent: this, provider });
    const service = serviceAccounts(vs, args.credentials);
    const warning = fallbackWarning(service.fallback, args.credentials.user);
    if (warning !== undefined) void pulumi.log.warn(warning, this);
    const pools = autoscaledPools(infra);
    // The folder's permissions exist before any VM is created in it (the VMs depend on them).
    const access = vs.accounts.manageRoles
      ? new VsphereAccess(
          `${name}-access`,
          {
            clusterName: infra.clusterName,
            folderId: folder.id,
            access: {
              ...(service.fallback.includes("cpi") ? {} : { cpiUser: vs.accounts.cpi?.user }),
              ...(service.fallback.includes("csi") ? {} : { csiUser: vs.accounts.csi?.user }),
              ...(pools.length === 0 || service.fallback.includes("machineController") ? {} : { machineControllerUser: vs.accounts.machineController?.user }),
              admins: vs.folderAdmins,
              noAccess: vs.folderNoAccess,
            },
            machineControllerRoles: pools.length > 0,
            provider,
          },
          { parent: this },
        ).ready
      : [];

    const pki = new ClusterPki(`${name}-pki`, { clusterName: infra.clusterName, protectCas: args.protectStatefulResources }, { parent: this });
    const nodes = nodeSpecs(infra);
    const join = new JoinSecrets(
      `${name}-join`,
      { tokenRotation: vs.bootstrapTokenRotation, protectEncryptionKey: args.protectStatefulResources ?? VSPHERE_CLUSTER_DEFAULTS.protectStatefulResources, nodeNames: nodes.filter((node) => isKubernetesNode(node.role)).map((node) => node.name) },
      { parent: this },
    );
    const plan: BootstrapPlan = bootstrapPlan(infra, nodes, args.credentials.server);
    const hash = args.credentials.breakGlassPasswordHash;
    const material = hash === undefined ? bootstrapMaterial(pki, join) : pulumi.secret(pulumi.all([bootstrapMaterial(pki, join), hash]).apply(([m, h]) => ({ ...m, breakGlassPasswordHash: h })));

    const protectStateful = args.protectStatefulResources ?? VSPHERE_CLUSTER_DEFAULTS.protectStatefulResources;
    const port = infra.network.apiServerPort;
    const vipUrl = `https://${vs.apiEndpoint.vip}:${port}`;
    const readinessTimeoutSeconds = args.readinessTimeoutSeconds ?? VSPHERE_CLUSTER_DEFAULTS.readinessTimeoutSeconds;
    const machines: Record<string, vsphere.VirtualMachine> = {};
    // Pools rolled one at a time (rollout.ts): each member waits for the previous one's gate.
    const waitsFor = predecessors(nodes, (pool) => rollsOneAtATime(vs.nodePools[pool]!));
    const memberGates: Record<string, ApiReadiness> = {};
    for (const spec of nodes) {
      const previous = waitsFor.get(spec.name);
      const after = [...access, ...(previous === undefined ? [] : [memberGates[previous]!])];
      machines[spec.name] = nodeVirtualMachine(
        {
          spec,
          settings: vs,
          inventory,
          folder: folder.path,
          documents: material.apply((m) => nodeDocuments(spec, plan, m, documentStage(vs, spec.name))),
          // Control planes hold etcd: in production they are protected like the data pools.
          protect: protectStateful && (isStateful(spec.role) || spec.role === "control-plane"),
        },
        { parent: this, provider, dependsOn: after },
      );
      // Every member of such a pool, the last one too: an `up` that resized it fails if it does not come back.
      if (rollsOneAtATime(vs.nodePools[spec.pool]!)) {
        const vm = machines[spec.name]!;
        const check = memberCheck(spec, vipUrl, port);
        memberGates[spec.name] = new ApiReadiness(
          `${spec.name}-healthy`,
          {
            url: check.url,
            serverName: vs.apiEndpoint.dnsName,
            caPem: pki.ca.certPem,
            certPem: pki.admin.certPem,
            keyPem: pki.admin.keyPem,
            timeoutSeconds: readinessTimeoutSeconds,
            triggers: [vm.id, ...memberTriggers(spec)],
            nodeNames: check.nodeNames,
            readyPods: check.readyPods,
          },
          { parent: this, dependsOn: [vm] },
        );
      }
    }
    this.machines = machines;

    for (const [pool, settings] of Object.entries(vs.nodePools)) {
      const members = nodes.filter((node) => node.pool === pool).map((node) => machines[node.name]!);
      if (!settings.antiAffinity || members.length < 2) continue;
      new vsphere.ComputeClusterVmAntiAffinityRule(
        `${name}-${pool}-anti-affinity`,
        { name: `${infra.clusterName}-${pool}`, computeClusterId: inventory.computeClusterId, virtualMachineIds: members.map((vm) => vm.id), enabled: true, mandatory: false },
        { parent: this, provider },
      );
    }

    const kubeconfig = pulumi.secret(
      pulumi.all([pki.ca.certPem, pki.admin.certPem, pki.admin.keyPem]).apply(([ca, cert, key]) => adminKubeconfig(infra.clusterName, vipUrl, ca, cert, key)),
    );
    // Every VM: the gate re-runs when any of them is replaced and waits for all Kubernetes nodes.
    const gateNodes = nodes.map((node) => machines[node.name]!);
    const readiness = new ApiReadiness(
      `${name}-api-ready`,
      {
        url: vipUrl,
        serverName: vs.apiEndpoint.dnsName,
        caPem: pki.ca.certPem,
        certPem: pki.admin.certPem,
        keyPem: pki.admin.keyPem,
        timeoutSeconds: readinessTimeoutSeconds,
        triggers: gateNodes.map((vm) => vm.id),
        nodeNames: nodes.filter((node) => isKubernetesNode(node.role)).map((node) => node.name),
      },
      { parent: this, dependsOn: gateNodes },
    );

    const clusterIdentifier = clusterIdentity(infra.clusterName, pki.ca.certPem);
    joinTokenSecret(name, { join, kubeconfig, ready: readiness, clusterIdentifier }, { parent: this });

    const cpPool = Object.values(vs.nodePools).find((pool) => pool.role === "control-plane");
    this.outputs = {
      backend: "vsphere",
      clusterName: infra.clusterName,
      kubernetesVersion: kubernetesRelease(infra.kubernetesVersion).version,
      kubeconfig,
      apiEndpoint: pulumi.output(`https://${vs.apiEndpoint.dnsName}:${port}`),
      nodePools: describePools(infra, nodes),
      network: {
        podCidr: infra.network.podCidr,
        serviceCidr: infra.network.serviceCidr,
        dnsDomain: infra.network.dnsDomain,
        apiServerPort: port,
        ...(cpPool === undefined ? {} : { nodeCidr: vs.networks[cpPool.network]?.cidr }),
      },
      vsphere: {
        vcenterServer: args.credentials.server,
        datacenter: vs.datacenter,
        insecure: args.credentials.allowUnverifiedSsl,
        ...(vs.vcenterThumbprint === undefined ? {} : { thumbprint: vs.vcenterThumbprint.toUpperCase() }),
        ...(vs.vcenterCa === undefined ? {} : { caBundle: vs.vcenterCa }),
        cpi: service.accounts.cpi,
        csi: service.accounts.csi,
        apiVip: vs.apiEndpoint.vip,
        ...(vs.gatewayAddress === undefined ? {} : { ingressAddress: vs.gatewayAddress }),
        storagePolicies: vs.storagePolicies,
        dataDisks: dataDiskSets(infra),
        autoscaledPools: pools,
        ...(service.accounts.machineController === undefined ? {} : { machineController: service.accounts.machineController }),
      },
      ready: readiness.ready,
      readyGate: [readiness],
      clusterIdentifier,
    };
    this.registerOutputs({
      apiEndpoint: this.outputs.apiEndpoint,
      kubeconfig,
      ready: readiness.ready,
      nodes: Object.fromEntries(nodes.map((n) => [n.name, n.address])),
      storagePolicyIds: inventory.storagePolicies,
    });
  }
}
