/**
 * Pinned AWS list prices the plan's cost estimate uses: on-demand, USD, per region the EKS stacks
 * of this repo use (Pulumi.dev.yaml, examples/eks-prod-infra.yaml, examples/multitenant: all
 * eu-central-1). Each price carries the page it was read from and the date; they change, so the
 * estimate says which date it used. A region or instance type missing here is reported, not guessed.
 */

/** A price, where it was read and when. */
export interface Price {
  readonly usd: number;
  readonly source: string;
  /** ISO date the price was read. */
  readonly asOf: string;
}

export interface RegionPrices {
  /** EKS control plane, per cluster-hour: standard support, extended support. */
  readonly eksClusterHour: Price;
  readonly eksExtendedSupportClusterHour: Price;
  /** Linux on-demand instances, per hour. */
  readonly instanceHour: Readonly<Record<string, Price>>;
  /** EBS, per GB-month, per provisioned IOPS-month, per provisioned MiB/s-month. */
  readonly gp3GbMonth: Price;
  readonly gp3IopsMonth: Price;
  readonly gp3ThroughputMiBpsMonth: Price;
  readonly io2GbMonth: Price;
  /** io2 IOPS tiers: up to 32,000, 32,001–64,000, above 64,000 per volume. */
  readonly io2IopsMonth: readonly [Price, Price, Price];
  /** NAT gateway and Network Load Balancer, per hour (data processed and LCUs not included). */
  readonly natGatewayHour: Price;
  readonly nlbHour: Price;
  /** S3 Standard, per GB-month (first 50 TB). */
  readonly s3StandardGbMonth: Price;
  /** CloudWatch Logs: ingestion per GB, storage per GB-month. */
  readonly logsIngestGb: Price;
  readonly logsStoreGbMonth: Price;
}

/** Hours in the month the estimate bills (AWS's calculator uses 730). */
export const HOURS_PER_MONTH = 730;

const AS_OF = "2026-12-01";
const EKS = "https://aws.amazon.com/eks/pricing/";
const EKS_EXTENDED = "https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/";
const EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/";
const EBS = "https://aws.amazon.com/ebs/pricing/";
const VPC = "https://aws.amazon.com/vpc/pricing/";
const ELB = "https://aws.amazon.com/elasticloadbalancing/pricing/";
const S3 = "https://aws.amazon.com/s3/pricing/";
const LOGS = "https://aws.amazon.com/cloudwatch/pricing/";

const at = (usd: number, source: string): Price => ({ usd, source, asOf: AS_OF });

export const AWS_PRICES: Readonly<Record<string, RegionPrices>> = {
  "eu-central-1": {
    eksClusterHour: at(0.1, EKS),
    eksExtendedSupportClusterHour: at(0.6, EKS_EXTENDED),
    instanceHour: {
      "t3.medium": at(0.048, EC2),
      "t3.large": at(0.096, EC2),
      "t3.xlarge": at(0.192, EC2),
      "m6i.large": at(0.115, EC2),
      "m6i.xlarge": at(0.23, EC2),
      "r6i.large": at(0.152, EC2),
      "r6i.xlarge": at(0.304, EC2),
    },
    gp3GbMonth: at(0.0952, EBS),
    gp3IopsMonth: at(0.006, EBS),
    gp3ThroughputMiBpsMonth: at(0.048, EBS),
    io2GbMonth: at(0.149, EBS),
    io2IopsMonth: [at(0.078, EBS), at(0.0546, EBS), at(0.0382, EBS)],
    natGatewayHour: at(0.052, VPC),
    nlbHour: at(0.027, ELB),
    s3StandardGbMonth: at(0.0245, S3),
    logsIngestGb: at(0.63, LOGS),
    logsStoreGbMonth: at(0.0324, LOGS),
  },
};
