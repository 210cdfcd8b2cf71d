/**
 * Pure: the Alertmanager configuration (routes, receivers, inhibition). Receiver URLs and keys
 * are secrets; the caller renders this inside `pulumi.secret` into the config Secret.
 */
import type { ReceiverConfig } from "../../config/platform-observability";

/** Receiver that swallows alerts nobody should be paged for (Watchdog, InfoInhibitor). */
export const NULL_RECEIVER = "null";

export function alertmanagerConfig(receivers: Readonly<Record<string, ReceiverConfig>>) {
  const names = Object.keys(receivers).sort();
  const receiverEntry = (name: string, entry: ReceiverConfig) => {
    switch (entry.type) {
      case "slack":
        return { name, slack_configs: [{ api_url: entry.url, ...(entry.channel === undefined ? {} : { channel: entry.channel }), send_resolved: true }] };
      case "webhook":
        return { name, webhook_configs: [{ url: entry.url, send_resolved: true }] };
      case "pagerduty":
        return { name, pagerduty_configs: [{ routing_key: entry.routingKey, send_resolved: true }] };
    }
  };
  return {
    route: {
      receiver: NULL_RECEIVER,
      group_by: ["namespace", "alertname"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "12h",
      routes: [
        { matchers: ['alertname =~ "Watchdog|InfoInhibitor"'], receiver: NULL_RECEIVER },
        ...names.map((name) => ({
          matchers: [`severity =~ "${(receivers[name]?.severities ?? []).join("|")}"`],
          receiver: name,
          continue: true,
        })),
      ],
    },
    receivers: [{ name: NULL_RECEIVER }, ...names.map((name) => receiverEntry(name, receivers[name] as ReceiverConfig))],
    inhibit_rules: [
      { source_matchers: ['severity = "critical"'], target_matchers: ['severity =~ "warning|info"'], equal: ["namespace", "alertname"] },
      { source_matchers: ['alertname = "InfoInhibitor"'], target_matchers: ['severity = "info"'], equal: ["namespace"] },
    ],
  };
}
