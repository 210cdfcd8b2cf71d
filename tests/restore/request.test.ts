/** `npm run restore` flags: each bad one names the flag, the value and what is allowed. */
import { expect } from "chai";
import { nameStamp, parseRestoreRequest, perconaDate, RestoreUsageError } from "../../tools/restore/request";

const NOW = new Date("2026-03-10T12:00:00Z");

function refusal(flags: Parameters<typeof parseRestoreRequest>[0]): string {
  try {
    parseRestoreRequest(flags, NOW);
  } catch (error) {
    expect(error).to.be.instanceOf(RestoreUsageError);
    return (error as Error).message;
  }
  throw new Error("expected the flags to be refused");
}

describe("restore: flags", () => {
  it("refuses an unknown or missing service and lists the kinds", () => {
    expect(refusal({ service: "redis" })).to.equal('--service: unknown service (got "redis"); one of postgres, mysql, mongodb, namespace');
    expect(refusal({})).to.match(/^--service is required; one of postgres, mysql, mongodb, namespace$/);
  });

  it("takes an RFC 3339 time with Z or an offset, keeping the text for CloudNativePG", () => {
    const utc = parseRestoreRequest({ service: "postgres", to: "2026-03-01T14:30:00Z" }, NOW);
    expect(utc.to?.toISOString()).to.equal("2026-03-01T14:30:00.000Z");
    expect(utc.toText).to.equal("2026-03-01T14:30:00Z");
    const offset = parseRestoreRequest({ service: "mongodb", to: "2026-03-01T15:30:00.250+01:00" }, NOW);
    expect(offset.to?.toISOString()).to.equal("2026-03-01T14:30:00.250Z");
  });

  it("refuses a time that is not RFC 3339, does not exist, or lies in the future", () => {
    expect(refusal({ service: "mysql", to: "2026-03-01 14:30:00" })).to.equal(
      '--to: not an RFC 3339 time (got "2026-03-01 14:30:00"); an RFC 3339 time with a zone, e.g. 2026-03-01T14:30:00Z or 2026-03-01T15:30:00+01:00',
    );
    expect(refusal({ service: "mysql", to: "2026-03-01T14:30:00" })).to.match(/^--to: not an RFC 3339 time \(got "2026-03-01T14:30:00"\)/);
    expect(refusal({ service: "mysql", to: "yesterday" })).to.match(/^--to: not an RFC 3339 time \(got "yesterday"\)/);
    expect(refusal({ service: "mysql", to: "2026-02-30T10:00:00Z" })).to.match(/^--to: no such time \(got "2026-02-30T10:00:00Z"\)/);
    expect(refusal({ service: "mysql", to: "2026-03-01T24:00:00Z" })).to.match(/^--to: no such time/);
    expect(refusal({ service: "mysql", to: "2026-03-10T12:00:01Z" })).to.equal('--to: in the future (got "2026-03-10T12:00:01Z", now is 2026-03-10T12:00:00.000Z); a point in time up to now');
  });

  it("needs --namespace for a namespace restore and only there", () => {
    expect(refusal({ service: "namespace" })).to.match(/^--namespace is required with --service namespace/);
    expect(refusal({ service: "mysql", namespace: "data" })).to.match(/^--namespace: only for --service namespace \(got --service mysql --namespace data\)/);
    expect(refusal({ service: "namespace", namespace: "Bad_Name" })).to.match(/^--namespace: not a namespace name \(got "Bad_Name"\)/);
    expect(parseRestoreRequest({ service: "namespace", namespace: "emis-services" }, NOW).namespace).to.equal("emis-services");
  });

  it("refuses a --backup that cannot be an object name", () => {
    expect(refusal({ service: "mysql", backup: "x; rm -rf /" })).to.match(/^--backup: not an object name \(got "x; rm -rf \/"\)/);
  });

  it("takes --from only for the Percona services, alone, as an s3:// location", () => {
    expect(parseRestoreRequest({ service: "mysql", from: "s3://dr/mysql/orders/orders-2026-03-01-full" }, NOW).from).to.equal("s3://dr/mysql/orders/orders-2026-03-01-full");
    expect(refusal({ service: "postgres", from: "s3://dr/pg/x" })).to.match(/^--from: only for --service mysql or mongodb \(got --service postgres --from s3:\/\/dr\/pg\/x\); PostgreSQL reads its archive through the stack's ObjectStore$/);
    expect(refusal({ service: "mongodb", from: "s3://dr/m/x", backup: "b1" })).to.match(/^--from and --backup both given/);
    expect(refusal({ service: "mongodb", from: "/backups/x" })).to.match(/^--from: not a backup location \(got "\/backups\/x"\); s3:\/\/<bucket>\/<prefix>\/<backup>/);
  });

  it("writes the Percona operators' UTC date form and a per-minute name stamp", () => {
    expect(perconaDate(new Date("2026-03-01T15:30:59.900+01:00"))).to.equal("2026-03-01 14:30:59");
    expect(nameStamp(NOW)).to.equal("20260310-1200");
  });
});
