/**
 * The CrossGuard entry point: `pulumi preview --policy-pack policy --policy-pack-config
 * policy/config/<environment>.json`. Constructing a PolicyPack starts the policy server, so nothing
 * else imports this file; tests and `npm run policy` import `./policies` instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, STRATA_POLICIES } from "./policies";

new PolicyPack(PACK_NAME, {
  description: "strata's promises: hardened Kubernetes workloads, default-deny namespaces, encrypted and private AWS resources, protected stateful VMs.",
  enforcementLevel: "advisory",
  policies: [...STRATA_POLICIES],
});
