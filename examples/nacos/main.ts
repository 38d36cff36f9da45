// A Spring Cloud Alibaba service registered in Nacos 2.x, called by consumers that use Spring Cloud
// LoadBalancer (field report 002's setup). Copy this folder, `npm install cdk8s cdk8s-plus-28 constructs
// cdk8s-graceful`, and run `cdk8s synth` (EXPLAIN=1 prints the arithmetic).
//
// The preStop hook takes the instance out through the Nacos open API (enabled=false for this pod's IP,
// after logging in with credentials from a Secret), waits until the consumers' load-balancer caches have
// expired, and only then lets the JVM receive SIGTERM. Report 002 guessed `sleep 30` and a 300 s grace
// period; here the wait is push 1 s + cache 35 s = 36 s and the grace period follows from it.
import { App, Chart, ChartProps, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GracefulJavaService, NacosAuth, Registry } from 'cdk8s-graceful';
import { Construct } from 'constructs';

export class OrdersChart extends Chart {
  public readonly orders: GracefulJavaService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // Created outside this app (e.g. by your secret manager): keys `username` and `password`.
    const nacosAuth = kplus.Secret.fromSecretName(this, 'NacosAuth', 'nacos-auth');

    this.orders = new GracefulJavaService(this, 'orders', {
      metadata: { name: 'orders', labels: { 'app.kubernetes.io/name': 'orders' } },
      image: 'registry.example.com/shop/orders:1.4.2',
      jar: '/app/app.jar',
      traffic: {
        averageLatency: Duration.millis(150),
        p99Latency: Duration.millis(1200),
        p95Concurrency: 60,
        workerThreads: 200,
      },
      registry: Registry.nacos({
        openApi: {
          serverAddr: 'nacos.infra.svc:8848',
          serviceName: 'orders',
          namespace: 'shop-prod',
          auth: NacosAuth.login({ secret: nacosAuth, key: 'username' }, { secret: nacosAuth, key: 'password' }),
        },
      }),
      envVariables: { SPRING_PROFILES_ACTIVE: 'prod' },
    });
  }
}

const app = new App();
const chart = new OrdersChart(app, 'shop', { namespace: 'shop' });
if (process.env.EXPLAIN) {
  process.stderr.write(chart.orders.explain() + '\n');
}
app.synth();
