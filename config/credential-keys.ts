/**
 * Config values that are credentials. A whole key (`strata:kubeconfig`, `vsphere:password`) is
 * checked by the program: the runtime says whether it is stored encrypted. A leaf inside
 * `strata:platform` cannot be: the runtime knows secrecy per top-level key only, so the program
 * checks that `strata:platform` is secret (`backupTargetSecretProblems`, `receiverSecretProblems`)
 * and the offline plan, which reads the stack file, checks each leaf (`CREDENTIAL_LEAVES`).
 */

/** `strata:kubeconfig` is a credential: refused when stored in clear, like `vsphere:password`. */
export function kubeconfigSecretProblems(hasKubeconfig: boolean, kubeconfigIsSecret: boolean | undefined): string[] {
  if (!hasKubeconfig || kubeconfigIsSecret !== false) return [];
  return ["strata:kubeconfig: is stored in clear (got a plain value, not shown); store it encrypted with `pulumi config set --secret strata:kubeconfig < kubeconfig.yaml`"];
}

/** A credential leaf inside a structured key: its path pattern and the path users see in messages. */
export interface CredentialLeaf {
  /** Matches the leaf's config path, e.g. `strata:platform.backups.target.credentials.secretAccessKey`. */
  readonly path: RegExp;
  /** What the value is, for docs. */
  readonly what: string;
}

export const CREDENTIAL_LEAVES: readonly CredentialLeaf[] = [
  { path: /^strata:platform\.backups\.target\.credentials\.(accessKeyId|secretAccessKey)$/, what: "keys of the backup writers' identity at an outside S3 target" },
  { path: /^strata:platform\.observability\.alerting\.receivers\.[^.]+\.url$/, what: "Slack or webhook URL of an alert receiver (the URL is the credential)" },
  { path: /^strata:platform\.observability\.alerting\.receivers\.[^.]+\.routingKey$/, what: "PagerDuty routing key of an alert receiver" },
  { path: /^strata:platform\.observability\.access\.oidc\.clientSecret$/, what: "client secret of the UIs' single sign-on at the identity provider" },
  { path: /^strata:platform\.observability\.alerting\.heartbeat\.url$/, what: "dead man's switch webhook the Watchdog alert calls (the URL is the credential)" },
];

/** The problem for a credential leaf the stack file holds in clear; never repeats the value. */
export function clearCredentialLeafProblem(path: string): string {
  return `${path}: is stored in clear in the stack file (got a plain value, not shown); set it with \`pulumi config set --secret --path '${path}' <value>\``;
}
