/** `strata:apps`: the application services. */
import type { z } from "zod";
import { strictObject } from "./common";

export const AppsConfig = strictObject({});
export type AppsConfig = z.infer<typeof AppsConfig>;
