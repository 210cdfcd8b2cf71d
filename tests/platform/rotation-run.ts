/**
 * Declares a component under Pulumi mocks in which every `RandomPassword` resolves to a password
 * the test chooses, and records every resource's resolved inputs: rendering twice with two
 * passwords shows what a rotation (`pulumi up --replace <RandomPassword>`) changes.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Rendered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
/** The key of Pulumi's wire wrapper around a secret value (`{ [SECRET_SIG]: SECRET_VALUE, value }`). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Inputs with Pulumi's secret wrappers replaced by the values they hold. */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (SECRET_SIG in record) return unwrapSecrets(record["value"]);
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, unwrapSecrets(inner)]));
}

/** Runs `declare` with mocks where each RandomPassword's result is `password`; returns what it registered. */
export async function renderWithPassword(password: string, declare: () => void): Promise<Rendered[]> {
  const rendered: Rendered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = unwrapSecrets(args.inputs) as Record<string, unknown>;
        rendered.push({ type: args.type, name: args.name, inputs });
        return { id: `${args.name}-id`, state: args.type === RANDOM_PASSWORD ? { ...inputs, result: password } : inputs };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    "strata",
    "rotation-test",
    false,
  );
  declare();
  // Registrations settle asynchronously under mocks; wait until no new one arrives.
  for (let last = -1, quiet = 0; quiet < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 30));
    quiet = rendered.length === last ? quiet + 1 : 0;
    last = rendered.length;
  }
  return rendered;
}

/** The one resource of a type (token suffix, e.g. `batch/v1:Job`) and name. */
export function renderedOne(all: readonly Rendered[], typeSuffix: string, name: string): Record<string, unknown> {
  const found = all.find((r) => r.type.endsWith(typeSuffix) && r.name === name);
  if (found === undefined) throw new Error(`no ${typeSuffix} ${name} among ${all.map((r) => `${r.type} ${r.name}`).join(", ")}`);
  return found.inputs;
}

/** A Secret's value for `key`, from `stringData` or base64 `data`. */
export function secretValue(secret: Record<string, unknown>, key: string): string | undefined {
  const stringData = secret["stringData"] as Record<string, string> | undefined;
  const data = secret["data"] as Record<string, string> | undefined;
  if (stringData?.[key] !== undefined) return stringData[key];
  return data?.[key] === undefined ? undefined : Buffer.from(data[key], "base64").toString("utf8");
}
