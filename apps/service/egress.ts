/**
 * Pure: NetworkPolicy egress rules to addresses outside the cluster — the spec's `egress`
 * (CIDRs and ports; `host` names what they are, in an annotation, since NetworkPolicy matches
 * addresses, not names), the EKS Pod Identity agent for apps with `awsAccess`, and S3 over
 * HTTPS for apps using the EKS object store.
 */
import type { EgressSpec } from "../../config/apps/runtime";

/** Link-local address the EKS Pod Identity agent serves credentials on (port 80), on every node. */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;

/** Private IPv4 ranges (RFC 1918) left out of the S3 rule: it is meant for AWS's public endpoints only. */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/** Annotation on the app's NetworkPolicy listing the declared external hosts, e.g. `api.stripe.com=203.0.113.0/24`. */
export const EGRESS_HOSTS_ANNOTATION = "strata.io/egress-hosts";

export interface ExternalEgressInput {
  readonly egress: readonly EgressSpec[];
  /** The app reaches AWS through EKS Pod Identity (`awsAccess` or the EKS object store). */
  readonly podIdentity: boolean;
  /** The app uses the EKS object store (S3 on its public HTTPS endpoints). */
  readonly s3: boolean;
}

export function externalEgressRules(input: ExternalEgressInput) {
  return [
    ...input.egress.map((rule) => ({ to: rule.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: rule.ports.map((port) => ({ protocol: rule.protocol, port })) })),
    ...(input.podIdentity ? [{ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: [{ protocol: "TCP", port: POD_IDENTITY_AGENT.port }] }] : []),
    ...(input.s3 ? [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...PRIVATE_RANGES] } }], ports: [{ protocol: "TCP", port: 443 }] }] : []),
  ];
}

/** `host=cidr,cidr; …` for the rules that name a host; undefined when none does. */
export function egressHostsAnnotation(egress: readonly EgressSpec[]): Record<string, string> | undefined {
  const named = egress.filter((rule) => rule.host !== undefined).map((rule) => `${rule.host}=${rule.cidrs.join(",")}`);
  return named.length === 0 ? undefined : { [EGRESS_HOSTS_ANNOTATION]: named.join("; ") };
}
