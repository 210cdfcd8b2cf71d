/**
 * Renderers turn a captured resource into files for `plan --out` (cloud-init documents,
 * Kubernetes YAML, Helm values). Each renderer receives the inputs as the program sent them,
 * with secrets unwrapped, and must pass every text it writes through `redact`, which replaces
 * every value the run marked secret with `[secret]`.
 */

export interface CapturedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  /** Inputs with secret values unwrapped (under mocks they are fakes, still never written in clear). */
  readonly rawInputs: Readonly<Record<string, unknown>>;
}

export interface RenderedFile {
  /** Path relative to the `--out` folder, e.g. `infra/cloud-init/prod-cp-1/user-data.yaml`. */
  readonly path: string;
  readonly content: string;
}

export type Renderer = (resource: CapturedResource, redact: (text: string) => string) => readonly RenderedFile[];
