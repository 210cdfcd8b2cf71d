/**
 * keepalived on the load-balancer pair: VRRP over unicast (vSphere port groups often drop
 * multicast) moves the VIP to the peer when HAProxy stops answering. The interface is written as
 * a placeholder and resolved at boot (the one carrying the node's address, see `network.ts`).
 */
import { INTERFACE_PLACEHOLDER } from "./network";

export const HAPROXY_CHECK_SCRIPT = "/etc/keepalived/check-haproxy.sh";

export interface KeepalivedSettings {
  readonly routerId: number;
  readonly vip: string;
  readonly prefixLength: number;
  /** This node's address and its peers'. */
  readonly self: string;
  readonly peers: readonly string[];
  /** Higher wins; the first node of the pool starts as master. */
  readonly priority: number;
  /** VRRP PASS authentication; keepalived uses at most 8 characters. */
  readonly password: string;
}

export function keepalivedConfig(settings: KeepalivedSettings): string {
  return [
    "global_defs {",
    "  enable_script_security",
    "  script_user root",
    "}",
    "",
    "vrrp_script check_haproxy {",
    `  script "${HAPROXY_CHECK_SCRIPT}"`,
    "  interval 2",
    "  fall 2",
    "  rise 2",
    "}",
    "",
    "vrrp_instance api_vip {",
    "  state BACKUP",
    `  interface ${INTERFACE_PLACEHOLDER}`,
    `  virtual_router_id ${settings.routerId}`,
    `  priority ${settings.priority}`,
    "  advert_int 1",
    `  unicast_src_ip ${settings.self}`,
    "  unicast_peer {",
    ...settings.peers.map((peer) => `    ${peer}`),
    "  }",
    "  authentication {",
    "    auth_type PASS",
    `    auth_pass ${settings.password}`,
    "  }",
    "  virtual_ipaddress {",
    `    ${settings.vip}/${settings.prefixLength} dev ${INTERFACE_PLACEHOLDER}`,
    "  }",
    "  track_script {",
    "    check_haproxy",
    "  }",
    "}",
    "",
  ].join("\n");
}

/** Health check keepalived runs: HAProxy must be running and accepting on the API port. */
export function haproxyCheckScript(apiServerPort: number): string {
  return ["#!/bin/sh", "# Fails when HAProxy is not running or not listening on the API port.", "set -eu", "pidof haproxy >/dev/null", `ss -ltn "sport = :${apiServerPort}" | grep -q LISTEN`, ""].join("\n");
}
