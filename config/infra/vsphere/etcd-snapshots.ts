/** `strata:infra.vsphere.etcdSnapshots`: etcd snapshots the control planes take on a systemd timer. */
import { z } from "zod";
import { strictObject } from "../../common";

/**
 * The systemd calendar forms accepted: `hourly`, `daily`, or `*-*-* <hours>:<minutes>[:<seconds>]`
 * with hour lists/steps (e.g. `*-*-* 00/6:00:00`). At least daily, so the stale-snapshot alert's
 * 25-hour window holds for every accepted schedule.
 */
const CALENDAR = /^(hourly|daily|\*-\*-\* (\*|[0-9]{1,2}([,/][0-9]{1,2})*):[0-9]{2}(:[0-9]{2})?)$/;

export const etcdSnapshots = strictObject({
  schedule: z
    .string()
    .regex(CALENDAR, { error: "must be a systemd OnCalendar expression of at least daily frequency: hourly, daily, or *-*-* HH:MM[:SS] with hour lists or steps, e.g. *-*-* 00/6:00:00" })
    .default("*-*-* 00/6:00:00")
    .describe("When each control plane saves a snapshot (systemd `OnCalendar`, UTC); at least daily. @default every 6 hours"),
  keepLocalDays: z.number().int().min(1).max(90).default(7).describe("Days a control plane keeps its snapshots under /var/lib/strata/etcd-snapshots."),
}).describe("etcd snapshots on every control plane (systemd timer), kept locally; see infra/vsphere/README.md, \"Control-plane maintenance\".");

export type EtcdSnapshotsConfig = z.infer<typeof etcdSnapshots>;
