/** Pure: MetalLB chart values and address-pool checks. */
import { cidrContains, ipToInt } from "../../config/common";

/** L2 mode only: the FRR/BGP backends stay off. */
export function metallbValues() {
  return {
    frrk8s: { enabled: false },
    controller: { priorityClassName: "platform-critical" },
    speaker: { priorityClassName: "platform-critical", frr: { enabled: false } },
  };
}

/** Whether an address lies in a CIDR or inclusive `first-last` block. */
export function blockContains(block: string, address: string): boolean {
  if (block.includes("/")) return cidrContains(block, address);
  const [first = "", last = ""] = block.split("-");
  const ip = ipToInt(address);
  return ip >= ipToInt(first) && ip <= ipToInt(last);
}
