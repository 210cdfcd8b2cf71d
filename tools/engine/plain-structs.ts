/**
 * Property bags between the SDK and the mock monitor without building protobuf messages. Every
 * resource's inputs cross as a `google.protobuf.Struct` (`Struct.fromJavaScript` in the SDK's
 * runtime/resource.js, read back with `toJavaScript()` by runtime/mocks.js), and every mocked
 * state crosses back the same way: about a tenth of a plan's time building jspb messages value by
 * value, which no wire ever carries here.
 *
 * What that round trip does to a value is kept exactly (google-protobuf 3.21, struct_pb.js):
 * strings, numbers, booleans and null pass; arrays and objects (their enumerable keys, inherited
 * ones too: `for…in`) are copied; object keys come back in sorted order (jspb's Map sorts its keys
 * when it iterates); anything else (undefined, functions, symbols, bigints) throws
 * "Unexpected struct type." as `Value.fromJavaScript` does. The Struct handed out is a real (empty)
 * `Struct`, so the request messages that hold it accept it, with `toJavaScript()` answering that
 * copy and `getFieldsMap()` the map a real one would hold. Only the program's process under mocks
 * installs this (tools/engine/run-program.ts); `tests/engine/plain-structs.test.ts` compares it
 * with the real round trip.
 */
import { createRequire } from "node:module";

type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

interface StructClass {
  new (): StructInstance;
  fromJavaScript(value: Record<string, unknown>): StructInstance;
}
interface StructInstance {
  toJavaScript(): Record<string, JsonValue>;
  getFieldsMap(): unknown;
}

/** The fields `for…in` finds (inherited enumerable ones too), each as `Value.fromJavaScript(…).toJavaScript()` returns it, in sorted order. */
function fieldsOf(value: unknown): Record<string, JsonValue> {
  const keys: string[] = [];
  // Inherited enumerable keys included, as struct_pb.js's for…in does.
  for (const key in value as object) keys.push(key);
  keys.sort();
  const fields: Record<string, JsonValue> = {};
  for (const key of keys) fields[key] = valueRoundTrip((value as Record<string, unknown>)[key]);
  return fields;
}

/** What `Value.fromJavaScript(value).toJavaScript()` returns, computed directly. */
function valueRoundTrip(value: unknown): JsonValue {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "object":
      return Array.isArray(value) ? value.map(valueRoundTrip) : fieldsOf(value);
    default:
      throw new Error("Unexpected struct type.");
  }
}

/** What `Struct.fromJavaScript(value).toJavaScript()` returns, computed directly. */
export function structRoundTrip(value: unknown): Record<string, JsonValue> {
  return fieldsOf(value);
}

/** The Struct class the SDK itself uses (its own google-protobuf). */
export function sdkStructClass(): StructClass {
  const fromSdk = createRequire(require.resolve("@pulumi/pulumi"));
  return (fromSdk("google-protobuf/google/protobuf/struct_pb") as { Struct: StructClass }).Struct;
}

/** Replaces `Struct.fromJavaScript` for this process; returns the original. */
export function installPlainStructs(Struct: StructClass = sdkStructClass()): StructClass["fromJavaScript"] {
  const real = Struct.fromJavaScript.bind(Struct);
  Struct.fromJavaScript = (value) => {
    const copy = structRoundTrip(value);
    const struct = new Struct();
    struct.toJavaScript = () => structRoundTrip(copy);
    struct.getFieldsMap = () => real(copy).getFieldsMap();
    return struct;
  };
  return real;
}
