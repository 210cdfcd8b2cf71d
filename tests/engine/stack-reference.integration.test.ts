/**
 * A stack owning only `apps` gets the infra, cluster and platform contracts from a mocked
 * upstream StackReference, and what was secret upstream stays secret here.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import type { StackOutputsSnapshot } from "../../tools/engine/mocks";
import { SECRET_PLACEHOLDER } from "../../tools/engine/plan-document";
import { FIXTURES, named, ofType, planStack } from "../harness";

const upstream = JSON.parse(readFileSync(`${FIXTURES}/stacks/upstream-prod.json`, "utf8")) as Record<string, StackOutputsSnapshot>;
const scenario = { stack: "apps-only", configFile: `${FIXTURES}/stacks/apps-only.yaml`, upstream };

describe("stack reference: a stack that owns only apps", () => {
  it("reads the upstream stack named by strata:upstreamStack and declares no infra or cluster resources", async () => {
    const result = await planStack(scenario);
    const references = ofType(result, "pulumi:pulumi:StackReference");
    expect(references.map((r) => r.inputs.name)).to.deep.equal(["acme/strata/prod"]);
    expect(result.resources.filter((r) => r.type.startsWith("strata:infra:") || r.type === "kubernetes:core/v1:Namespace")).to.be.empty;
  });

  it("connects to the upstream cluster with its kubeconfig, kept secret", async () => {
    const result = await planStack(scenario);
    const provider = named(result, "pulumi:providers:kubernetes", "strata-prod-k8s");
    expect(provider.inputs.kubeconfig).to.equal(SECRET_PLACEHOLDER);
    expect(provider.rawInputs.kubeconfig).to.contain("upstream-admin-token-0123456789");
  });

  it("re-exports the upstream contracts with secrets still secret", async () => {
    const result = await planStack(scenario);
    expect(result.outputs.infraSecrets).to.equal(SECRET_PLACEHOLDER);
    // issue #27: connection URLs keep their shape with the password masked; every other leaf is hidden.
    const leaves = (value: unknown): string[] => (value !== null && typeof value === "object" ? Object.values(value).flatMap(leaves) : [String(value)]);
    expect(leaves(result.outputs.platformSecrets).every((leaf) => leaf === SECRET_PLACEHOLDER || /^[a-z][a-z0-9+.-]*:\/\/[^:]*:\*\*\*@/.test(leaf))).to.equal(true);
    expect(result.snapshot.secretOutputNames).to.have.members(["infraSecrets", "platformSecrets"]);
    expect(result.outputs.platform).to.deep.equal({
      endpoints: {
        // The fixture's upstream predates `ports`: the endpoint's one `port` stands for them.
        postgres: { kind: "postgresql", namespace: "data", host: "postgres-rw.data.svc", port: 5432, ports: [5432], database: "app", username: "app", secretName: "postgres-app" },
      },
      objectStore: {
        endpoint: "http://seaweedfs-s3.data.svc:8333",
        region: "us-east-1",
        forcePathStyle: true,
        buckets: { backups: "strata-backups" },
        credentials: { namespace: "data", secretName: "object-store-credentials" },
      },
      observability: {},
      // The fixture's upstream predates secret stores: none, and Reloader's annotation.
      secretStores: {},
      reloaderAnnotation: "secret.reloader.stakater.com/reload",
    });
    const shown = JSON.stringify(result.outputs);
    for (const secret of ["upstream-postgres-password-42", "upstream-s3-access-key-7", "upstream-s3-secret-key-8"]) expect(shown).not.to.contain(secret);
    // The secret values themselves survive the round trip, inside the secret output.
    expect(result.snapshot.outputs.platformSecrets).to.deep.equal({
      endpoints: { postgres: { password: "upstream-postgres-password-42", url: "postgresql://app:upstream-postgres-password-42@postgres-rw.data.svc:5432/app" } },
      objectStore: { accessKeyId: "upstream-s3-access-key-7", secretAccessKey: "upstream-s3-secret-key-8" },
    });
  });

  it("fails with the missing output named when the upstream stack lacks a contract", async () => {
    const { platform: _p, platformSecrets: _s, ...rest } = upstream["acme/strata/prod"]?.outputs ?? {};
    const broken = { "acme/strata/prod": { outputs: rest, secretOutputNames: ["infraSecrets"] } };
    let message = "";
    try {
      await planStack({ ...scenario, upstream: broken });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.contain('strata:upstreamStack: stack acme/strata/prod exports no "platform" output; deploy a stack that owns the platform layer first');
  });
});
