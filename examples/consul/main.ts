// A Spring Cloud Consul service (field report 001's setup) behind node-local Consul agents. Copy this
// folder, `npm install cdk8s cdk8s-plus-28 constructs cdk8s-graceful`, and run `cdk8s synth`.
//
// Report 001 lost requests twice: `start.sh` ran `java -jar` without exec (the JVM never saw SIGTERM), and
// every service shared one actuator health path, so after a pod IP was reused Consul's check of the dead
// instance passed. Here the JVM is PID 1 (exec form), Consul checks are TTL heartbeats only the instance
// itself can send, killed instances are reaped after 1 min, and the preStop hook puts the instance in
// maintenance mode on the agent it registered with before waiting out the consumers' caches.
import { App, Chart, ChartProps, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GracefulJavaService, Registry } from 'cdk8s-graceful';
import { Construct } from 'constructs';

export class InvoiceChart extends Chart {
  public readonly invoice: GracefulJavaService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    const acl = kplus.Secret.fromSecretName(this, 'ConsulAcl', 'consul-acl');

    this.invoice = new GracefulJavaService(this, 'invoice', {
      metadata: { name: 'invoice', labels: { 'app.kubernetes.io/name': 'invoice' } },
      image: 'registry.example.com/billing/invoice:3.2.0',
      jar: '/app/invoice.jar',
      traffic: {
        averageLatency: Duration.millis(60),
        p99Latency: Duration.millis(2500),
        p95Concurrency: 30,
        workerThreads: 50,
        // Invoice exports run up to 30 s (the consumers' read timeout): a request started just before SIGTERM
        // must still finish, whatever p99 says.
        longestRequest: Duration.seconds(30),
      },
      registry: Registry.consul({
        agentMaintenance: { serviceName: 'invoice', token: { secret: acl, key: 'token' } },
        // invoice's consumers are GracefulJavaServices on Consul too: each sets
        // spring.cloud.consul.discovery.query-passing=true, so they stop calling an instance in maintenance
        consumersQueryPassing: true,
      }),
    });
  }
}

const app = new App();
const chart = new InvoiceChart(app, 'billing', { namespace: 'billing' });
if (process.env.EXPLAIN) {
  process.stderr.write(chart.invoice.explain() + '\n');
}
app.synth();
