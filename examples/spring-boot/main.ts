// A cdk8s app for a Spring Boot service: copy this folder into your repo, `npm install cdk8s cdk8s-plus-28
// constructs cdk8s-graceful`, and run `cdk8s synth`.
//
// It models the Spring Boot + Nacos service of a common field report, which hard-codes
// `terminationGracePeriodSeconds: 300`, `sleep 30` in its preStop, `timeout-per-shutdown-phase: 5m` and
// one endpoint for readiness and liveness. Here every one of those numbers is derived from the service's
// measured traffic; `dist/*.k8s.yaml` carries the arithmetic in the pod template's annotations.
import { App, Chart, ChartProps, Duration } from 'cdk8s';
import { GracefulJavaService } from 'cdk8s-graceful';
import { Construct } from 'constructs';

export class OrdersChart extends Chart {
  public readonly orders: GracefulJavaService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    this.orders = new GracefulJavaService(this, 'orders', {
      metadata: { name: 'orders', labels: { 'app.kubernetes.io/name': 'orders' } },
      image: 'registry.example.com/shop/orders:1.4.2',
      // exec form: the JVM is PID 1 and receives SIGTERM itself
      jar: '/app/app.jar',
      port: 10105,
      managementPort: 10106,
      // Measured in production (Spring Boot's http.server.requests and tomcat.threads.busy metrics).
      traffic: {
        averageLatency: Duration.millis(150),
        p99Latency: Duration.millis(1200),
        p95Concurrency: 60,
        workerThreads: 200, // server.tomcat.threads.max (Spring Boot's default)
      },
      envVariables: {
        SPRING_PROFILES_ACTIVE: 'prod',
      },
    });
  }
}

const app = new App();
const chart = new OrdersChart(app, 'shop', { namespace: 'shop' });
if (process.env.EXPLAIN) {
  // EXPLAIN=1 cdk8s synth prints the arithmetic behind every number
  process.stderr.write(chart.orders.explain() + '\n');
}
app.synth();
