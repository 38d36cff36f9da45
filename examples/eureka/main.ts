// A Spring Cloud Netflix Eureka service whose consumers still use Ribbon. Copy this folder,
// `npm install cdk8s cdk8s-plus-28 constructs cdk8s-graceful`, and run `cdk8s synth`.
//
// Eureka has the longest chain of caches: the server's read-only response cache (30 s), the consumers'
// registry fetch (30 s) and Ribbon's server list refresh (30 s). The instance is set OUT_OF_SERVICE
// in-process through Spring Cloud's serviceregistry actuator endpoint, then the hook waits 90 s.
import { App, Chart, ChartProps, Duration } from 'cdk8s';
import { ConsumerCache, GracefulJavaService, Registry } from 'cdk8s-graceful';
import { Construct } from 'constructs';

export class CatalogChart extends Chart {
  public readonly catalog: GracefulJavaService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    this.catalog = new GracefulJavaService(this, 'catalog', {
      metadata: { name: 'catalog', labels: { 'app.kubernetes.io/name': 'catalog' } },
      image: 'registry.example.com/store/catalog:7.0.1',
      jar: '/app/catalog.jar',
      traffic: {
        averageLatency: Duration.millis(25),
        p99Latency: Duration.millis(400),
        p95Concurrency: 120,
        workerThreads: 200,
      },
      registry: Registry.eureka({ consumerCache: ConsumerCache.ribbon() }),
      // A HorizontalPodAutoscaler (2 to 8 pods on 80 % CPU): the Deployment has no replicas field, and a
      // scale-down takes pods out with the same preStop and grace period as a rollout.
      autoscaling: { maxReplicas: 8 },
    });
  }
}

const app = new App();
const chart = new CatalogChart(app, 'store', { namespace: 'store' });
if (process.env.EXPLAIN) {
  process.stderr.write(chart.catalog.explain() + '\n');
}
app.synth();
