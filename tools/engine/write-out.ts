/**
 * `plan --out <dir>`: every rendered Kubernetes object, Helm release and VM bootstrap document
 * as files, under `<dir>/<layer>/…`, with every secret value replaced by `[secret]`.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { layerOf } from "./layers";
import { rendererFor } from "./renderers";
import type { RenderedFile } from "./renderers/types";
import type { RunResult } from "./run";
import { redactText } from "./values";

export function renderFiles(result: RunResult): RenderedFile[] {
  const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
  const redact = (text: string) => redactText(text, result.secrets);
  return result.resources.flatMap((resource) => {
    const renderer = rendererFor(resource.type);
    if (renderer === undefined) return [];
    const layer = layerOf(resource, byUrn);
    return renderer(resource, redact).map((file) => ({ path: `${layer}/${file.path}`, content: file.content }));
  });
}

/** Replaces `dir` with the rendered files. */
export function writeOut(files: readonly RenderedFile[], dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
}
