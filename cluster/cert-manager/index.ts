import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { declareWorkload } from "../../lib/connections";
import type { ScrapeTarget } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import { acmeIssuerSpec, caIssuerSpec, certManagerValues, ISSUER_NAMES, type GatewayParent } from "./values";
import { CERT_MANAGER_RELEASE, certManagerControllerWorkload, certManagerScrapeTarget } from "./metrics";

export interface CertManagerArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Namespace cert-manager runs in; also where ClusterIssuer secrets live. */
  readonly namespace: string;
  /** Controller, webhook and cainjector replicas. @default 2 */
  readonly replicas?: number;
  /** ACME contact; without it no ACME issuers are declared. @default - none */
  readonly acmeEmail?: string;
  /** Gateway listener the HTTP-01 solver attaches to; required with `acmeEmail`. @default - none */
  readonly gateway?: GatewayParent;
  /** Common name of the internal root CA. @default "strata internal CA" */
  readonly internalCaCommonName?: string;
  /** Validity of the internal root CA. @default 3650 */
  readonly internalCaValidityDays?: number;
  /** Resources the release waits for. @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** What the internal CA secret waits for (its namespace); it needs nothing from the release. @default [] */
  readonly secretsDependOn?: pulumi.Input<pulumi.Resource>[];
}

const DEFAULTS = { replicas: 2, internalCaCommonName: "strata internal CA", internalCaValidityDays: 3650 } as const;

/** cert-manager with ACME (production + staging) and internal-CA ClusterIssuers. */
export class CertManager extends pulumi.ComponentResource {
  /** The release that installs the cert-manager CRDs; Certificates depend on it. */
  public readonly release: k8s.helm.v3.Release;
  /** ClusterIssuer objects by name, for `dependsOn`. */
  public readonly issuers: Readonly<Record<string, k8s.apiextensions.CustomResource>>;
  /** Public (ACME production) and internal issuer names. */
  public readonly issuerNames: { readonly public?: string; readonly internal: string };
  /** The controller's metrics (certificate expiry and readiness), for the platform's Prometheus. */
  public readonly scrapeTargets: readonly ScrapeTarget[];

  constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:CertManager", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const replicas = args.replicas ?? DEFAULTS.replicas;
    this.release = helmRelease(`${name}-release`, { chart: "cert-manager", releaseName: CERT_MANAGER_RELEASE, namespace: args.namespace, values: certManagerValues({ replicas }) }, {
      ...childOpts,
      dependsOn: args.dependsOn ?? [],
    });
    declareWorkload(certManagerControllerWorkload(args.namespace));
    this.scrapeTargets = [certManagerScrapeTarget(args.namespace)];
    const issuers: Record<string, k8s.apiextensions.CustomResource> = {};
    const issuer = (choice: keyof typeof ISSUER_NAMES, spec: Record<string, unknown>, extra: pulumi.Resource[] = []) => {
      const issuerName = ISSUER_NAMES[choice];
      issuers[issuerName] = new k8s.apiextensions.CustomResource(
        `${name}-${choice}`,
        { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: issuerName, labels: standardLabels({ name: issuerName, component: "issuer" }) }, spec },
        { ...childOpts, dependsOn: [this.release, ...extra] },
      );
    };

    const caKey = new tls.PrivateKey(`${name}-ca-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent: this });
    const caCert = new tls.SelfSignedCert(
      `${name}-ca-cert`,
      {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        validityPeriodHours: (args.internalCaValidityDays ?? DEFAULTS.internalCaValidityDays) * 24,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
        subject: { commonName: args.internalCaCommonName ?? DEFAULTS.internalCaCommonName, organization: "strata" },
      },
      { parent: this },
    );
    const caSecret = new k8s.core.v1.Secret(
      `${name}-ca-secret`,
      {
        metadata: { name: "strata-internal-ca", namespace: args.namespace, labels: standardLabels({ name: "strata-internal-ca", component: "issuer" }) },
        type: "kubernetes.io/tls",
        stringData: { "tls.crt": caCert.certPem, "tls.key": pulumi.secret(caKey.privateKeyPem), "ca.crt": caCert.certPem },
      },
      { ...childOpts, dependsOn: args.secretsDependOn ?? [] },
    );
    issuer("internal", caIssuerSpec("strata-internal-ca"), [caSecret]);

    if (args.acmeEmail !== undefined && args.gateway !== undefined) {
      issuer("letsencrypt", acmeIssuerSpec("letsencrypt", args.acmeEmail, args.gateway));
      issuer("letsencrypt-staging", acmeIssuerSpec("letsencrypt-staging", args.acmeEmail, args.gateway));
    }
    this.issuers = issuers;
    this.issuerNames = {
      ...(issuers[ISSUER_NAMES.letsencrypt] ? { public: ISSUER_NAMES.letsencrypt } : {}),
      internal: ISSUER_NAMES.internal,
    };
    this.registerOutputs({ issuers: this.issuerNames });
  }
}
