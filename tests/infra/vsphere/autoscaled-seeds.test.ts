/**
 * issue #21: the seeds' autoscaled pools as the stacks render them: EMIS prod workers 6–20,
 * Tartware's services pool 8–150, as cluster-autoscaler's min/max annotations on the
 * MachineDeployment, and the capacity check sized at the max.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { MAX_SIZE_ANNOTATION, MIN_SIZE_ANNOTATION, machineDeployment } from "../../../cluster/machine-controller/machine-deployment";
import { poolBounds } from "../../../config/apps/capacity";
import { parseConfig } from "../../../config/schema";
import { autoscaledPools } from "../../../infra/vsphere/autoscaled-pools";
import { VSPHERE_CONNECTION } from "./fixtures";

function stackInfra(file: string) {
  const config = (parse(readFileSync(join(__dirname, "..", "..", "..", file), "utf8")) as { config: Record<string, unknown> }).config;
  const parsed = parseConfig({ environment: "prod", infra: config["strata:infra"], hasKubeconfig: false, vsphere: VSPHERE_CONNECTION });
  if (parsed.infra?.backend !== "vsphere") throw new Error(`${file}: not a vSphere stack`);
  return parsed.infra;
}

const VCENTER = { server: "vcenter.example", datacenter: "dc", username: "svc@vsphere.local", insecure: false };

for (const [label, file, pool, min, max] of [
  ["EMIS prod", "Pulumi.prod.yaml", "workers", 6, 20],
  ["Tartware", "examples/tartware/Pulumi.tartware.yaml", "services", 8, 150],
] as const) {
  describe(`issue #21: ${label} autoscales its ${pool} pool ${min}-${max}`, () => {
    const infra = stackInfra(file);
    const found = autoscaledPools(infra).find((p) => p.pool === pool);

    it("renders the pool's MachineDeployment with the seed's bounds, starting at min", () => {
      expect(found, `${pool} is not autoscaled`).to.not.equal(undefined);
      const md = machineDeployment(infra.clusterName, found!, VCENTER, "1.35.3");
      expect(md.metadata.annotations).to.include({ [MIN_SIZE_ANNOTATION]: String(min), [MAX_SIZE_ANNOTATION]: String(max) });
      expect((md.spec as { replicas: number }).replicas).to.equal(min);
    });

    it("sizes the capacity check at the max, under the autoscaling.max key", () => {
      expect(poolBounds(infra)?.find((b) => b.name === pool)).to.deep.equal({ name: pool, sizeKey: `strata:infra.vsphere.nodePools.${pool}.autoscaling.max`, maxNodes: max });
    });
  });
}
