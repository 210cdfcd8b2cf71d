/**
 * Whether an app image (a service's, its migration's or its release's) is pinned.
 * `nginx`, `nginx:latest` and `registry:5000/app` are not pinned; `app:1.2.3` and `app@sha256:…` are.
 */
export function imagePinProblem(image: string): string | undefined {
  const at = image.indexOf("@");
  if (at >= 0) {
    // OCI image-spec descriptor.md, "Digests": `algorithm ":" encoded`; for sha256 the encoded
    // part is 64 lower-case hex characters (a shorter one names no manifest, so it pins nothing).
    const digest = image.slice(at + 1);
    return /^sha256:[a-f0-9]{64}$/.test(digest) ? undefined : `has an invalid digest "${digest}": a digest is sha256: followed by 64 lower-case hex characters`;
  }
  const lastSegment = image.split("/").pop() ?? image;
  const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : undefined;
  if (tag === undefined) return "is not pinned: it has no tag or digest";
  if (tag === "latest") return "must not use the moving tag latest";
  if (!/^[\w][\w.-]{0,127}$/.test(tag)) return `has an invalid tag "${tag}"`;
  return undefined;
}
