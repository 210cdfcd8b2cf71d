/**
 * RSA key pairs for the `@pulumi/tls` mocks, generated ahead on a worker thread while the program
 * loads. A 2048-bit pair takes ~50 ms of CPU and a vSphere stack asks for five (its PKI) in
 * the middle of registering resources; the mocks answer synchronously, so the pairs made ahead
 * are taken synchronously too (`receiveMessageOnPort`, waiting on a shared counter for one still
 * being made). Pairs stay in memory, fresh per run, as before; how many to make ahead is a hint
 * (`keyPairHintFile`): the last run's count. Too few and the rest are made on the spot; too many
 * cost only the worker's time.
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";

export interface KeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

const RSA_OPTIONS = { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } } as const;

/** This checkout (compiled sources keep `__dirname` of the source, tools/launch.mjs). */
const CHECKOUT = resolve(__dirname, "..", "..", "..");

/** Longest wait for a pair the worker is making before making it here instead (a worker that failed). */
const WAIT_MS = 10_000;

// Plain JavaScript, so it runs the same from compiled sources and through tsx.
const WORKER_SOURCE = `
const { generateKeyPairSync } = require("node:crypto");
const { workerData } = require("node:worker_threads");
const { port, made, count, options } = workerData;
for (let i = 0; i < count; i++) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", options);
  port.postMessage({ privateKeyPem: privateKey, publicKeyPem: publicKey });
  Atomics.add(made, 0, 1);
  Atomics.notify(made, 0);
}
port.close();
`;

interface Ahead {
  readonly port: MessagePort;
  /** Pairs the worker has posted (shared with it). */
  readonly made: Int32Array;
  readonly count: number;
  taken: number;
}

let ahead: Ahead | undefined;
let requested = 0;
let takenAhead = 0;

/** Starts making `count` RSA pairs on a worker thread; `rsaKeyPair` takes them in order. */
export function makeRsaKeyPairsAhead(count: number): void {
  if (count <= 0 || ahead !== undefined) return;
  const { port1, port2 } = new MessageChannel();
  const made = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, made, count, options: RSA_OPTIONS }, transferList: [port2], execArgv: [] });
  // Neither keeps the process alive: the run ends when the program is done, pairs left or not.
  worker.unref();
  port1.unref();
  ahead = { port: port1, made, count, taken: 0 };
}

/** A fresh 2048-bit RSA pair (PKCS#8 and SPKI PEM): one made ahead if there is one left, else made now. */
export function rsaKeyPair(): KeyPair {
  requested++;
  while (ahead !== undefined && ahead.taken < ahead.count) {
    const received = receiveMessageOnPort(ahead.port);
    if (received !== undefined) {
      ahead.taken++;
      takenAhead++;
      return received.message as KeyPair;
    }
    if (Atomics.wait(ahead.made, 0, ahead.taken, WAIT_MS) === "timed-out") ahead = undefined;
  }
  const { privateKey, publicKey } = generateKeyPairSync("rsa", RSA_OPTIONS);
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** RSA pairs taken from those made ahead so far in this run. */
export function rsaKeyPairsTakenAhead(): number {
  return takenAhead;
}

/** RSA pairs asked for so far in this run. */
export function rsaKeyPairsRequested(): number {
  return requested;
}

/**
 * Where a stack's count of RSA pairs is kept for its next run: in this checkout's .strata/key-pairs/
 * (also for a project elsewhere, e.g. a test fixture), by project directory, project and stack.
 */
export function keyPairHintFile(projectDir: string, project: string, stack: string): string {
  const key = createHash("sha256").update(`${resolve(projectDir)}\0${project}\0${stack}`).digest("hex").slice(0, 24);
  return join(CHECKOUT, ".strata", "key-pairs", `${key}.json`);
}

/** The count the last run left in `file`, 0 without one. */
export function readKeyPairHint(file: string): number {
  if (!existsSync(file)) return 0;
  try {
    const { rsa } = JSON.parse(readFileSync(file, "utf8")) as { rsa?: unknown };
    return typeof rsa === "number" && Number.isInteger(rsa) && rsa >= 0 ? rsa : 0;
  } catch {
    return 0;
  }
}

/** Keeps this run's count for the next run (a count only: the pairs themselves are never written). */
export function writeKeyPairHint(file: string, rsa: number): void {
  if (readKeyPairHint(file) === rsa && existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.${process.pid}`, JSON.stringify({ rsa }));
  renameSync(`${file}.${process.pid}`, file);
}
