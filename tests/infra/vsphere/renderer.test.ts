/**
 * `plan --out` rendering of a VM: decoded documents in the layout the cloud-init verifier reads,
 * and no private key even when the run did not know it was secret.
 */
import { generateKeyPairSync } from "node:crypto";
import { expect } from "chai";
import { parse } from "yaml";
import { guestinfo, metadata, userData } from "../../../infra/vsphere/cloud-init";
import { netplan } from "../../../infra/vsphere/network";
import { renderVirtualMachine } from "../../../tools/engine/renderers/vsphere";

describe("vSphere VM renderer", () => {
  const key = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const user = userData({
    hostname: "c-workers-1",
    adminUser: "strata",
    sshAuthorizedKeys: [],
    files: [
      { path: "/etc/strata/kubeadm.yaml", permissions: "0600", content: "token: abcdef.0123456789abcdef\n" },
      { path: "/etc/kubernetes/pki/ca.key", permissions: "0600", content: key },
      { path: "/usr/local/sbin/strata-node-prep.sh", permissions: "0755", content: "#!/bin/bash\nset -euo pipefail\n" },
    ],
    commands: ["/usr/local/sbin/strata-node-prep.sh"],
  });
  const meta = metadata("c-workers-1", netplan({ address: "10.0.0.21", prefixLength: 24, gateway: "10.0.0.1", dnsServers: ["10.0.0.2"], searchDomains: [] }));
  const files = renderVirtualMachine(
    { urn: "urn:vm", type: "vsphere:index/virtualMachine:VirtualMachine", name: "c-workers-1", parent: "", rawInputs: { name: "c-workers-1", extraConfig: guestinfo(user, meta) } },
    (text) => text.split("0123456789abcdef").join("[secret]"),
  );
  const byPath = new Map(files.map((f) => [f.path, f.content]));

  it("writes user-data, meta-data, network-config and each script under cloud-init/<vm>/", () => {
    expect([...byPath.keys()].sort()).to.deep.equal([
      "cloud-init/c-workers-1/meta-data.yaml",
      "cloud-init/c-workers-1/network-config.yaml",
      "cloud-init/c-workers-1/scripts/strata-node-prep.sh",
      "cloud-init/c-workers-1/user-data.yaml",
    ]);
    expect(byPath.get("cloud-init/c-workers-1/scripts/strata-node-prep.sh")).to.equal("#!/bin/bash\nset -euo pipefail\n");
    expect(parse(byPath.get("cloud-init/c-workers-1/network-config.yaml")!)).to.have.property("version", 2);
    expect(parse(byPath.get("cloud-init/c-workers-1/meta-data.yaml")!)).to.deep.equal({ "instance-id": "c-workers-1", "local-hostname": "c-workers-1", redact: ["userdata", "vendordata"] });
  });

  it("redacts secrets inside file contents and drops any private key block", () => {
    const text = byPath.get("cloud-init/c-workers-1/user-data.yaml")!;
    expect(text.startsWith("#cloud-config\n")).to.equal(true);
    expect(text).to.include("token: abcdef.[secret]");
    expect(text).to.not.include("PRIVATE KEY");
    expect(text).to.not.include(key.split("\n")[1]!);
  });

  it("issue #21: keeps a redacted plain scalar a string (the break-glass password hash), so cloud-init's schema still accepts the user", () => {
    const withHash = userData({ hostname: "c-workers-1", adminUser: "strata", sshAuthorizedKeys: [], files: [], commands: ["/bin/true"], breakGlass: { name: "breakglass", sshAuthorizedKeys: ["ssh-ed25519 AAAA k"], passwordHash: "$y$hash-0123456789abcdef" } });
    const rendered = renderVirtualMachine(
      { urn: "urn:vm", type: "vsphere:index/virtualMachine:VirtualMachine", name: "c-workers-1", parent: "", rawInputs: { name: "c-workers-1", extraConfig: guestinfo(withHash, meta) } },
      (text) => (text === "$y$hash-0123456789abcdef" ? "[secret]" : text.split("$y$hash-0123456789abcdef").join("[secret]")),
    );
    const doc = parse(rendered.find((f) => f.path.endsWith("user-data.yaml"))!.content.replace(/^#cloud-config\n/, "")) as { users: { hashed_passwd?: unknown }[] };
    expect(doc.users[1]!.hashed_passwd).to.equal("[secret]");
  });

  it("renders nothing for a VM without guestinfo", () => {
    expect(renderVirtualMachine({ urn: "u", type: "t", name: "n", parent: "", rawInputs: {} }, (t) => t)).to.deep.equal([]);
  });
});
