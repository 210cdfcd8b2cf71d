/** What parsing a raw stack config reports: the problems of its ConfigError (fails the test if accepted). */
import { ConfigError } from "../../config/errors";
import { parseConfig, type RawConfig } from "../../config/schema";

export function problemsOf(raw: RawConfig): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("config was accepted");
}
