/**
 * issue #19: rotating a generated password (`pulumi up --replace <RandomPassword>`) must change
 * the object that sets it on the server together with the Secret its clients read; before, the
 * clients got the new password and the servers kept the old one.
 */
import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
import type { MysqlSettings } from "../../config/platform-mysql";
import { Mysql } from "../../platform/mysql";
import { PASSWORD_DIGEST_ANNOTATION } from "../../lib/secret-digest";
import { renderedOne, renderWithPassword, secretValue } from "./rotation-run";

const PLACEMENT = { nodeSelector: {}, tolerations: [] };
const MYSQL: MysqlSettings = {
  enabled: true,
  name: "mysql",
  members: 3,
  resources: { cpuMillis: 500, memoryMi: 1024, limitCpuMillis: 1000, limitMemoryMi: 2048 },
  storage: { sizeGi: 20, purpose: "database" },
  haproxyReplicas: 2,
  database: "app",
  username: "app",
  backup: { enabled: false, schedule: "0 2 * * *", keep: 7 },
  metrics: false,
};

describe("issue #19: password rotation reaches servers and clients together", function () {
  this.timeout(60_000);

  describe("MySQL", () => {
    const render = (password: string) =>
      renderWithPassword(password, () => new Mysql("mysql", { provider: new k8s.Provider("test", {}), namespace: "data", settings: MYSQL, placement: PLACEMENT }));
    const jobTemplate = (job: Record<string, unknown>) => (job["spec"] as { template: { metadata: { annotations?: Record<string, string> } } }).template;

    it("a new password changes the app-user Job's pod template (a new Job runs ALTER USER) and the app Secret", async () => {
      const before = await render("first-password-0123456789abcdefgh");
      const after = await render("second-password-0123456789abcdefg");
      const jobBefore = renderedOne(before, "batch/v1:Job", "mysql-app-user");
      const jobAfter = renderedOne(after, "batch/v1:Job", "mysql-app-user");
      expect(secretValue(renderedOne(before, "core/v1:Secret", "mysql-app-secret"), "password")).to.equal("first-password-0123456789abcdefgh");
      expect(secretValue(renderedOne(after, "core/v1:Secret", "mysql-app-secret"), "password")).to.equal("second-password-0123456789abcdefg");
      // pulumi-kubernetes replaces a Job whose spec.template changes (tools/plan/replace-rules.ts).
      expect(jobTemplate(jobAfter)).to.not.deep.equal(jobTemplate(jobBefore));
      expect(jobTemplate(jobAfter).metadata.annotations?.[PASSWORD_DIGEST_ANNOTATION]).to.match(/^[0-9a-f]{16}$/);
      expect(JSON.stringify(jobAfter)).to.not.contain("second-password");
    });
    it("the same password renders the same Job (no rerun on every up)", async () => {
      const one = renderedOne(await render("same-password-0123456789abcdefghi"), "batch/v1:Job", "mysql-app-user");
      const two = renderedOne(await render("same-password-0123456789abcdefghi"), "batch/v1:Job", "mysql-app-user");
      expect(two).to.deep.equal(one);
    });
  });
});
