/**
 * Pure: the tail samplers' trace buffer and memory, derived from the load the stack declares.
 *
 * A sampler holds every trace from its first span until `decision_wait` has passed (the
 * tail_sampling processor's README, opentelemetry-collector-contrib
 * processor/tailsamplingprocessor: "`num_traces`: Number of traces kept in memory"; a trace that
 * arrives when the buffer is full evicts the oldest, undecided). The routers hash trace IDs over
 * the samplers, so each holds its share:
 *
 *   traces per sampler = RPS × decision_wait ÷ samplers × 1.5 (uneven hashing, late spans)
 *   memory per sampler = traces × spans per trace × bytes per span ÷ 0.55 + base
 *
 * 0.55 is the memory_limiter's soft limit (limit 80 % − spike 25 % of the container's memory),
 * above which it refuses spans (opentelemetry-collector processor/memorylimiterprocessor README).
 *
 * One request is one trace; the byte cost of a span held in memory is an estimate (attributes,
 * events and the collector's own structures) that operators correct with `spansPerTrace` when
 * their traces are wider.
 */

/** Memory one buffered span takes in the collector, an estimate with the attributes HTTP and DB spans carry. */
export const BYTES_PER_SPAN = 1024;
/** Head room over the mean share: trace-ID hashing is uneven over few pods, and spans arrive after their trace's first. */
const HEADROOM = 1.5;
/** The collector's own memory beside the buffer (pipelines, batch, exporters' queues). */
const BASE_MEMORY_MI = 256;
/** The samplers' memory_limiter: hard limit and spike, in percent of the container's memory; the buffer fits below their difference. */
export const MEMORY_LIMITER = { limit_percentage: 80, spike_limit_percentage: 25 } as const;

export interface SamplerLoad {
  /** Requests (traces) per second the stack is sized for. */
  readonly requestsPerSecond: number;
  /** Seconds a trace is held before it is decided. */
  readonly decisionWaitSeconds: number;
  /** Spans in an ordinary trace. */
  readonly spansPerTrace: number;
  /** Sampler pods the routers spread trace IDs over. */
  readonly replicas: number;
}

export interface SamplerSizing {
  /** `tail_sampling.num_traces` per sampler. */
  readonly numTraces: number;
  /** `tail_sampling.expected_new_traces_per_sec` per sampler (sizes its maps up front). */
  readonly expectedNewTracesPerSecond: number;
  /** Memory request and limit per sampler pod, in MiB. */
  readonly memoryRequestMi: number;
  readonly memoryLimitMi: number;
}

export function samplerSizing(load: SamplerLoad): SamplerSizing {
  const perSampler = load.requestsPerSecond / load.replicas;
  const numTraces = Math.max(1000, Math.ceil(perSampler * load.decisionWaitSeconds * HEADROOM));
  const bufferMi = (numTraces * load.spansPerTrace * BYTES_PER_SPAN) / (1024 * 1024);
  const memoryLimitMi = Math.ceil((bufferMi / ((MEMORY_LIMITER.limit_percentage - MEMORY_LIMITER.spike_limit_percentage) / 100) + BASE_MEMORY_MI) / 64) * 64;
  return {
    numTraces,
    expectedNewTracesPerSecond: Math.ceil(perSampler),
    // Requested in full: a sampler that cannot have its buffer is evicted under pressure, losing every undecided trace.
    memoryRequestMi: memoryLimitMi,
    memoryLimitMi,
  };
}
