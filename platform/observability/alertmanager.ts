/**
 * Pure: the Alertmanager configuration (routes, receivers, inhibition). Receiver URLs and keys
 * are secrets; the caller renders this inside `pulumi.secret` into the config Secret.
 *
 * The tree: the Watchdog goes to the heartbeat receiver (a dead man's switch) and nowhere else;
 * every other alert is routed by its severity, each severity with its own pace, to every receiver
 * that takes it (`continue: true` on each receiver's route, so one alert can page and post).
 * `amtool config routes test` proves the tree (tests/platform/alertmanager-routes.integration.test.ts).
 */
import { type HeartbeatConfig, type ReceiverConfig, SEVERITIES, type Severity } from "../../config/platform/observability";

/** Receiver that swallows alerts nobody should be paged for (InfoInhibitor, the Watchdog without a heartbeat). */
export const NULL_RECEIVER = "null";
/** Receiver the Watchdog goes to when a dead man's switch is configured. */
export const HEARTBEAT_RECEIVER = "heartbeat";
/**
 * How often the Watchdog reaches the dead man's switch: Alertmanager re-sends a still-firing group
 * once `repeat_interval` has passed, checked at each `group_interval` tick, so the switch sees a
 * call every one to two minutes; its grace period should be 5 minutes or more.
 */
export const HEARTBEAT_INTERVAL = "1m";

/**
 * Pace per severity: a critical alert is sent fast and repeated often; info waits longest and
 * repeats daily. Grouping (namespace, alertname) is inherited from the root.
 */
const SEVERITY_TIMING: Readonly<Record<Severity, { group_wait: string; group_interval: string; repeat_interval: string }>> = {
  critical: { group_wait: "10s", group_interval: "5m", repeat_interval: "4h" },
  warning: { group_wait: "30s", group_interval: "5m", repeat_interval: "12h" },
  info: { group_wait: "1m", group_interval: "10m", repeat_interval: "24h" },
};

function receiverEntry(name: string, entry: ReceiverConfig) {
  switch (entry.type) {
    case "slack":
      return { name, slack_configs: [{ api_url: entry.url, ...(entry.channel === undefined ? {} : { channel: entry.channel }), send_resolved: true }] };
    case "webhook":
      return { name, webhook_configs: [{ url: entry.url, send_resolved: true }] };
    case "pagerduty":
      return { name, pagerduty_configs: [{ routing_key: entry.routingKey, send_resolved: true }] };
  }
}

export function alertmanagerConfig(receivers: Readonly<Record<string, ReceiverConfig>>, heartbeat?: HeartbeatConfig) {
  const names = Object.keys(receivers).sort();
  const takes = (severity: Severity) => names.filter((name) => receivers[name]?.severities.includes(severity));
  return {
    route: {
      receiver: NULL_RECEIVER,
      group_by: ["namespace", "alertname"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "12h",
      routes: [
        heartbeat === undefined
          ? { matchers: ['alertname = "Watchdog"'], receiver: NULL_RECEIVER }
          : { matchers: ['alertname = "Watchdog"'], receiver: HEARTBEAT_RECEIVER, group_wait: "0s", group_interval: HEARTBEAT_INTERVAL, repeat_interval: HEARTBEAT_INTERVAL },
        // kube-prometheus-stack's InfoInhibitor only exists to mute info alerts (its inhibit rule below).
        { matchers: ['alertname = "InfoInhibitor"'], receiver: NULL_RECEIVER },
        ...SEVERITIES.filter((severity) => takes(severity).length > 0).map((severity) => ({
          matchers: [`severity = "${severity}"`],
          ...SEVERITY_TIMING[severity],
          routes: takes(severity).map((name) => ({ matchers: [`severity = "${severity}"`], receiver: name, continue: true })),
        })),
      ],
    },
    receivers: [
      { name: NULL_RECEIVER },
      ...(heartbeat === undefined ? [] : [{ name: HEARTBEAT_RECEIVER, webhook_configs: [{ url: heartbeat.url, send_resolved: false }] }]),
      ...names.map((name) => receiverEntry(name, receivers[name] as ReceiverConfig)),
    ],
    inhibit_rules: [
      // A critical alert mutes the warning and info of the same alert in the same namespace (e.g. the 90 % and the 95 % disk alerts).
      { source_matchers: ['severity = "critical"'], target_matchers: ['severity =~ "warning|info"'], equal: ["namespace", "alertname"] },
      { source_matchers: ['severity = "warning"'], target_matchers: ['severity = "info"'], equal: ["namespace", "alertname"] },
      { source_matchers: ['alertname = "InfoInhibitor"'], target_matchers: ['severity = "info"'], equal: ["namespace"] },
    ],
  };
}
