/** Resolves each load test's target service (namespace, ports, pods, pool) from the apps slice. */
import type { AppsConfig } from "../../config/apps";
import { servicePortOf } from "../../config/apps/service-port";
import type { ClusterOutputs } from "../../lib/contracts";
import { serviceSelector } from "../service/release";
import type { LoadTestTarget } from "./index";

/** The config checks (`loadTestProblems`) have refused unknown and portless targets; one left here is a program error. */
export function loadTestTargets(config: AppsConfig, cluster: Pick<ClusterOutputs, "placementFor" | "placementForPool" | "mesh">, meshNamespaces: readonly string[] = []): LoadTestTarget[] {
  return Object.entries(config.loadTests).map(([name, spec]) => {
    const target = config.services[spec.target.service];
    if (target?.port === undefined) throw new Error(`load test ${name}: no app service serving a port named ${spec.target.service}`);
    return {
      name,
      spec,
      namespace: target.namespace,
      service: spec.target.service,
      servicePort: servicePortOf(target),
      containerPort: target.port,
      selector: serviceSelector(spec.target.service, target.release),
      // Runners share the target's pool: its nodes can take the run's requests when the capacity check passes.
      placement: target.pool === undefined ? cluster.placementFor(target.role) : cluster.placementForPool(target.pool),
      ...(cluster.mesh === undefined || !meshNamespaces.includes(target.namespace) ? {} : { mesh: { viaWaypoint: target.resilience !== undefined, strictMtls: cluster.mesh.mtls === "strict" } }),
    };
  });
}
