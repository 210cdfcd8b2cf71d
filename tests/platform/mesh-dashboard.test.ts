/** Issue #26: the apps dashboard shows the mesh's mTLS share and east-west RED signals on Istio's standard metrics. */
import { expect } from "chai";
import { DASHBOARDS } from "../../platform/observability/dashboards";

describe("observability: mesh panels on the apps dashboard", () => {
  const panels = DASHBOARDS["apps-golden-signals.json"]?.panels ?? [];
  const expr = (title: string) => panels.find((p) => p.title === title)?.expr ?? "";

  it("issue #26: mTLS share from ztunnel's connection_security_policy, bytes from istio_tcp_sent_bytes_total", () => {
    expect(expr("Mesh: share of connections with mTLS")).to.contain('istio_tcp_connections_opened_total{destination_workload_namespace=~"$namespace",connection_security_policy="mutual_tls"}');
    expect(expr("Mesh: east-west bytes per second")).to.contain("istio_tcp_sent_bytes_total");
  });

  it("issue #26: requests, 5xx ratio and P95 from the waypoints' istio_requests_total and duration histogram", () => {
    expect(expr("Mesh: east-west requests per second (waypoints)")).to.contain('istio_requests_total{reporter="waypoint"');
    expect(expr("Mesh: east-west error ratio (5xx, waypoints)")).to.contain('response_code=~"5.."');
    expect(expr("Mesh: east-west latency P95 (waypoints)")).to.match(/^histogram_quantile\(0\.95, .*istio_request_duration_milliseconds_bucket\{reporter="waypoint".*\/ 1000$/);
  });
});
