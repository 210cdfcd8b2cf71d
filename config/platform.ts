/** `strata:platform`: shared data services, observability and backups. */
import type { z } from "zod";
import { strictObject } from "./common";

export const PlatformConfig = strictObject({});
export type PlatformConfig = z.infer<typeof PlatformConfig>;
