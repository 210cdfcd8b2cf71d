/**
 * Issue #25: an app reaching an RDS database with IAM authentication (`strata:apps.external.<name>.iamAuth`)
 * gets `rds-db:connect` on exactly its database user, `arn:aws:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>`
 * (Service Authorization Reference, Amazon RDS IAM Authentication: resource type `db-user`), evaluated
 * with the offline IAM simulator.
 */
import { expect } from "chai";
import { appRolePolicy } from "../../apps/service/cloud-identity";
import { rdsDbUserArn } from "../../config/apps/external";
import { ACCOUNT, OTHER_ACCOUNT, REGION, actionsOf, decide, sessionOf, unknownActions } from "../infra/eks/iam/simulator";

const DBI = "db-ABCDEFGHIJKL0123456789";
const ORDERS_USER = rdsDbUserArn(REGION, ACCOUNT, DBI, "orders");

describe("issue #25: IAM simulation: RDS IAM authentication of an external database", () => {
  const policy = appRolePolicy(undefined, undefined, [ORDERS_USER]);
  if (policy === undefined) throw new Error("no policy");
  const run = (resource: string, action = "rds-db:connect") => decide({ why: `the app connects to ${resource}`, principal: sessionOf("strata-test-orders-aws"), action, resource }, [policy]);

  it("names the user in the ARN format IAM defines", () => {
    expect(ORDERS_USER).to.equal(`arn:aws:rds-db:${REGION}:${ACCOUNT}:dbuser:${DBI}/orders`);
  });

  it("allows connecting as the app's database user", async () => {
    expect(await run(ORDERS_USER)).to.equal("Allowed");
  });

  it("allows no other user, instance or account", async () => {
    expect(await run(rdsDbUserArn(REGION, ACCOUNT, DBI, "postgres"))).to.equal("ImplicitlyDenied");
    expect(await run(rdsDbUserArn(REGION, ACCOUNT, "db-ZZZZZZZZZZZZ0000000000", "orders"))).to.equal("ImplicitlyDenied");
    expect(await run(rdsDbUserArn(REGION, OTHER_ACCOUNT, DBI, "orders"))).to.equal("ImplicitlyDenied");
  });

  it("names only rds-db:connect, an action IAM knows", async () => {
    expect(await actionsOf(policy)).to.deep.equal(["rds-db:connect"]);
    expect(await unknownActions(policy)).to.deep.equal([]);
  });
});
