/**
 * deploy/kubernetes, as `kubectl kustomize` renders each overlay, held to what the code really reads and writes:
 * the variables each app's config schema reads (and the image's start command), the secrets it marks, the ports
 * and probe paths the platform serves, the shutdown budget, the migrator and its command, and the Redis keys
 * BullMQ writes for each queue (from the platform's own producer, never written out here). A manifest that drifts
 * from the code fails here rather than in a cluster.
 *
 * Needs kubectl (its Kustomize). Without one this suite is skipped with a message, except under CI=true, where
 * .ci/run installs Debian's kubernetes-client and a missing kubectl is a failure. KUBECTL names another binary.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { Redis } from 'ioredis';
import pino from 'pino';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import {
  QUEUE_JOB_STATES,
  JobProducer,
  Readiness,
  configVariables,
  createHttpApp,
  createMetrics,
  listen,
  parseConfig,
  secretKeys,
} from '@dreamseed/platform';
import { QUEUE_NAMES, type QueueName } from '@dreamseed/contracts';
import { WORKSPACE_ROOT } from '@dreamseed/testing';
import { APP_SCHEMAS } from './config-docs';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped YAML */
type K8s = Record<string, any>;

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const OVERLAYS_DIR = path.join(WORKSPACE_ROOT, 'deploy/kubernetes/overlays');
const OVERLAYS = readdirSync(OVERLAYS_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
const APPS = Object.keys(APP_SCHEMAS);
const read = (file: string) => readFileSync(path.join(WORKSPACE_ROOT, file), 'utf8');

const kubectlFound = !spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).error;
const underCi = process.env.CI === 'true';
if (!kubectlFound && !underCi) {
  process.stderr.write(`tools/kubernetes.spec.ts: skipped, no ${KUBECTL} on PATH (install kubectl, or Debian's kubernetes-client)\n`);
}

/** What the image's start command reads besides the app's schema (`${APP}`, `${V8_POOL_SIZE}`). */
const IMAGE_VARIABLES = new Set(
  [...(read('Dockerfile').match(/^CMD .*$/m)?.[0] ?? '').matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)].map((match) => match[1] as string),
);
/** What the migrator reads: it has no schema, only `process.env` reads in tools/migrate.ts. */
const MIGRATOR_VARIABLES = new Set([...read('tools/migrate.ts').matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map((match) => match[1] as string));
/** The migrator's command, as docker-compose's one-shot migrate service runs it. */
const MIGRATE_COMMAND = (parseYaml(read('docker-compose.yml')) as K8s).services.migrate.command as string[];
/** The queue each app consumes, as its service definition names it. */
const consumedQueue = (app: string): QueueName => {
  const queue = /\bqueue: '([a-z-]+)'/.exec(read(`apps/${app}/src/app.ts`))?.[1] as QueueName;
  expect(QUEUE_NAMES).toContain(queue);
  return queue;
};

/** BullMQ's keys for a queue under a prefix, from the producer every app enqueues with (never connected). */
function bullmqKeys(prefix: string, queue: QueueName): Record<string, string> {
  const connection = new Redis({ lazyConnect: true, port: 1, retryStrategy: () => null, enableOfflineQueue: false });
  connection.on('error', () => undefined);
  const producer = new JobProducer({ connection, prefix, logger: pino({ level: 'silent' }) });
  const keys = { ...producer.queue(queue).keys };
  void producer.close().finally(() => connection.disconnect());
  return keys;
}

function render(overlay: string): K8s[] {
  const result = spawnSync(KUBECTL, ['kustomize', path.join(OVERLAYS_DIR, overlay)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.error) throw new Error(`${KUBECTL} not found: CI installs Debian's kubernetes-client (.ci/run)`);
  // Kustomize v5 warns on stderr about the v2-compatible fields (`bases`, `vars`); only the status counts.
  if (result.status !== 0) throw new Error(`kubectl kustomize ${overlay} failed:\n${result.stderr}`);
  return parseAllDocuments(result.stdout).map((document) => document.toJS() as K8s).filter(Boolean);
}

/** A sample value for a secret the overlay leaves to the cluster's Secret: the first its schema accepts. */
function sampleSecret(schema: z.ZodObject, key: string): string {
  const candidates = ['postgres://dreamseed:sample@postgres:5432/dreamseed', 'redis://:sample@redis:6379', 's'.repeat(48)];
  const field = schema.shape[key] as z.ZodType;
  return candidates.find((candidate) => field.safeParse(candidate).success) ?? 's'.repeat(48);
}

(kubectlFound || underCi ? describe.each(OVERLAYS) : describe.skip.each(OVERLAYS))('deploy/kubernetes/overlays/%s', (overlay) => {
  let objects: K8s[] = [];
  const all = (kind: string) => objects.filter((object) => object.kind === kind);
  const named = (kind: string, name: string) => all(kind).find((object) => object.metadata.name === name);
  const deployment = (app: string) => named('Deployment', app) as K8s;
  const appContainer = (app: string) => deployment(app).spec.template.spec.containers.find((c: K8s) => c.name === 'app') as K8s;
  const secret = () => all('Secret')[0];
  const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
    Object.entries(selector).every(([key, value]) => labels[key] === value);

  /** A container's environment as the kubelet builds it (envFrom, then env over it), with where each came from. */
  function environment(app: string, container: K8s) {
    const schema = APP_SCHEMAS[app] as z.ZodObject;
    const values: Record<string, string | undefined> = {};
    const secretRefs = new Map<string, { name: string; optional: boolean }>();
    const fromConfigMaps = new Set<string>();
    for (const source of container.envFrom ?? []) {
      expect(source.secretRef).toBeUndefined(); // secrets by name only, so that each one's reader is visible
      const configMap = named('ConfigMap', source.configMapRef.name);
      expect(configMap).toBeDefined();
      for (const [key, value] of Object.entries(configMap?.data ?? {})) {
        values[key] = String(value);
        fromConfigMaps.add(key);
      }
    }
    for (const entry of container.env ?? []) {
      const ref = entry.valueFrom?.secretKeyRef;
      const configMapRef = entry.valueFrom?.configMapKeyRef;
      fromConfigMaps.delete(entry.name);
      if (ref) {
        secretRefs.set(entry.name, { name: ref.name, optional: ref.optional === true });
        const stored = secret()?.data?.[ref.key];
        if (stored !== undefined) values[entry.name] = Buffer.from(String(stored), 'base64').toString('utf8');
        else if (!ref.optional && secret()) throw new Error(`the ${overlay} Secret lacks ${ref.key}, which ${app} requires`);
        else if (!ref.optional) values[entry.name] = sampleSecret(schema, entry.name);
        else delete values[entry.name];
      } else if (configMapRef) {
        values[entry.name] = named('ConfigMap', configMapRef.name)?.data?.[configMapRef.key];
        fromConfigMaps.add(entry.name);
      } else {
        values[entry.name] = entry.value;
      }
    }
    return { values, secretRefs, fromConfigMaps };
  }

  /** The app's parsed config in this overlay (secrets the cluster holds filled with samples). */
  const appConfig = (app: string) => {
    const values = Object.entries(environment(app, appContainer(app)).values).filter(([key]) => !IMAGE_VARIABLES.has(key));
    return parseConfig(app, APP_SCHEMAS[app] as z.ZodObject, Object.fromEntries(values)) as K8s;
  };

  beforeAll(() => {
    objects = render(overlay);
  });

  it('runs every app from the one image, chosen by APP', () => {
    const images = new Set(
      [...all('Deployment'), ...all('Job')].flatMap((object) =>
        [...(object.spec.template.spec.initContainers ?? []), ...object.spec.template.spec.containers].map((c: K8s) => c.image),
      ),
    );
    expect(images.size).toBe(1);
    const [image] = [...images] as string[];
    expect(image).toMatch(/:[\w.-]+$/); // a tag of its own: a release, never a moving default
    expect(all('Deployment').map((object) => object.metadata.name).sort()).toEqual([...APPS].sort());
    for (const app of APPS) expect(environment(app, appContainer(app)).values.APP).toBe(app);
    expect(IMAGE_VARIABLES).toContain('APP');
  });

  it('probes /health/live and /health/ready on the API port, which the platform serves there', async () => {
    const http = await listen(createHttpApp({ logger: pino({ level: 'silent' }), metrics: createMetrics('k8s-check'), readiness: new Readiness([]) }), 0, '127.0.0.1');
    const served = async (probePath: string) => (await fetch(`http://127.0.0.1:${http.port}${probePath}`)).status;
    try {
      for (const app of APPS) {
        const container = appContainer(app);
        const { values } = environment(app, container);
        const portOf = (name: string) => container.ports.find((port: K8s) => port.name === name)?.containerPort;
        expect(portOf('http')).toBe(Number(values.PORT));
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) expect(container[probe]?.httpGet?.port).toBe('http');
        expect(container.startupProbe.httpGet.path).toBe('/health/live');
        expect(container.livenessProbe.httpGet.path).toBe('/health/live');
        expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
        expect(container.livenessProbe.periodSeconds * container.livenessProbe.failureThreshold).toBeGreaterThanOrEqual(20);
        // Metrics apart from the API, on METRICS_PORT, announced for Prometheus and offered by the Service.
        expect(portOf('metrics')).toBe(Number(values.METRICS_PORT));
        expect(deployment(app).spec.template.metadata.annotations['prometheus.io/port']).toBe(values.METRICS_PORT);
      }
      expect(await served('/health/live')).toBe(200);
      expect(await served('/health/ready')).toBe(503); // not started: the probe tells, rather than 404
    } finally {
      await http.close(Promise.resolve());
    }
  });

  it('gives every container resources, and every app a grace period past its shutdown budget', () => {
    const shutdownDefault = configVariables(APP_SCHEMAS.gateway as z.ZodObject).find((v) => v.key === 'SHUTDOWN_TIMEOUT_MS')?.default?.value;
    for (const object of [...all('Deployment'), ...all('Job')]) {
      for (const container of [...(object.spec.template.spec.initContainers ?? []), ...object.spec.template.spec.containers]) {
        for (const kind of ['requests', 'limits']) expect(Object.keys(container.resources?.[kind] ?? {}).sort()).toEqual(['cpu', 'memory']);
      }
    }
    for (const app of APPS) {
      const { values } = environment(app, appContainer(app));
      const shutdownMs = Number(values.SHUTDOWN_TIMEOUT_MS ?? shutdownDefault);
      const preStop = appContainer(app).lifecycle?.preStop;
      const preStopSeconds = preStop?.sleep?.seconds ?? (preStop?.exec?.command?.[0] === 'sleep' ? Number(preStop.exec.command[1]) : 0);
      // The kubelet's clock runs from preStop; runMain exits hard a second after SHUTDOWN_TIMEOUT_MS.
      expect(deployment(app).spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStopSeconds * 1000 + shutdownMs + 1000);
    }
  });

  it("sets only variables the app's schema (or the image) reads, and everything it needs to start", () => {
    for (const app of APPS) {
      const schema = APP_SCHEMAS[app] as z.ZodObject;
      const { values } = environment(app, appContainer(app));
      const unread = Object.keys(values).filter((key) => !(key in schema.shape) && !IMAGE_VARIABLES.has(key));
      expect({ app, unread }).toEqual({ app, unread: [] });
      // A default that names this machine is wrong in a pod: the other apps and the public address are elsewhere.
      const local = configVariables(schema).filter((v) => /localhost|127\.0\.0\.1/.test(String(v.default?.value ?? '')) && !(v.key in values));
      expect({ app, unset: local.map((v) => v.key) }).toEqual({ app, unset: [] });
      expect(() => appConfig(app)).not.toThrow();
    }
  });

  it('takes every secret an app reads from the one Secret, by name, and keeps secrets out of ConfigMaps', () => {
    const secretNames = new Set<string>();
    const everySecretKey = new Set(APPS.flatMap((app) => secretKeys(APP_SCHEMAS[app] as z.ZodObject)));
    for (const app of APPS) {
      const { secretRefs, fromConfigMaps } = environment(app, appContainer(app));
      for (const key of secretKeys(APP_SCHEMAS[app] as z.ZodObject)) {
        expect({ app, key, wired: secretRefs.has(key) }).toEqual({ app, key, wired: true });
        expect(fromConfigMaps.has(key)).toBe(false);
      }
      for (const ref of secretRefs.values()) secretNames.add(ref.name);
    }
    expect(secretNames.size).toBe(1);
    for (const configMap of all('ConfigMap')) expect(Object.keys(configMap.data ?? {}).filter((key) => everySecretKey.has(key))).toEqual([]);
    // Kept out of the repository: only the development overlay carries a Secret (of development values).
    if (overlay !== 'development') expect(all('Secret')).toEqual([]);
  });

  it('migrates once per release in a Job, and every app waits for its schema in an init container', () => {
    const jobs = all('Job');
    expect(jobs).toHaveLength(1);
    const job = jobs[0] as K8s;
    const image = job.spec.template.spec.containers[0].image as string;
    // Named after the release, so that a new image is a new Job (a Job's pod template is immutable).
    expect(job.metadata.name).toBe(`migrate-${image.slice(image.lastIndexOf(':') + 1)}`);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    const migrators = [job.spec.template.spec.containers[0], ...APPS.map((app) => deployment(app).spec.template.spec.initContainers?.[0])];
    for (const container of migrators) {
      expect(container?.command).toEqual(MIGRATE_COMMAND);
      const names = (container?.env ?? []).map((entry: K8s) => entry.name);
      expect(names.filter((name: string) => !MIGRATOR_VARIABLES.has(name))).toEqual([]);
      // Behind a transaction pooler the advisory lock needs Postgres itself.
      expect(names).toEqual(expect.arrayContaining(['DATABASE_URL', 'DATABASE_MIGRATION_URL']));
      expect(container?.envFrom).toBeUndefined();
    }
  });

  it('scales each worker with KEDA on its BullMQ wait list and prioritized set, and the gateway on CPU', () => {
    const registered = new Map(
      createMetrics('k8s-check')
        .registry.getMetricsAsArray()
        .map((metric) => [(metric as unknown as { name: string }).name, (metric as unknown as { labelNames: string[] }).labelNames] as const),
    );
    const workers = APPS.filter((app) => consumedQueue(app) !== 'gateway');
    expect(workers).toHaveLength(4);
    for (const app of workers) {
      const queue = consumedQueue(app);
      const config = appConfig(app);
      const keys = bullmqKeys(config.QUEUE_PREFIX, queue);
      const scaled = all('ScaledObject').filter((object) => object.spec.scaleTargetRef.name === app);
      expect(scaled).toHaveLength(1);
      const spec = scaled[0]?.spec as K8s;
      // Never zero: each worker also answers internal HTTP and runs its queue's scheduled jobs.
      expect(spec.minReplicaCount).toBeGreaterThanOrEqual(1);
      expect(spec.maxReplicaCount).toBeGreaterThanOrEqual(spec.minReplicaCount);
      expect(spec.cooldownPeriod).toBeGreaterThan(0);

      const list = spec.triggers.filter((trigger: K8s) => trigger.type.startsWith('redis'));
      expect(list).toHaveLength(1);
      expect(list[0].type).toBe(config.REDIS_CLUSTER ? 'redis-cluster' : 'redis');
      expect(list[0].metadata.listName).toBe(keys.wait);
      const auth = named('TriggerAuthentication', list[0].authenticationRef.name) as K8s;
      const parameters = auth.spec.secretTargetRef.map((ref: K8s) => ref.parameter);
      expect(parameters).toContain(config.REDIS_CLUSTER ? 'addresses' : 'address');
      expect(new Set(auth.spec.secretTargetRef.map((ref: K8s) => ref.name))).toEqual(new Set([environment(app, appContainer(app)).secretRefs.get('REDIS_URL')?.name]));

      // The prioritized sorted set, counted by the apps' queue gauge and read from Prometheus.
      const prometheus = spec.triggers.filter((trigger: K8s) => trigger.type === 'prometheus');
      expect(prometheus).toHaveLength(1);
      const selector = promQlSelector(prometheus[0].metadata.query);
      expect(registered.get(selector.metric)).toEqual(expect.arrayContaining(Object.keys(selector.labels)));
      expect(selector.labels).toEqual({ queue, state: 'prioritized' });
      // A state the gauge reports, counting the queue's BullMQ key of that name.
      expect(QUEUE_JOB_STATES).toContain(selector.labels.state);
      expect(keys[selector.labels.state as string]).toBeDefined();
    }
    const hpas = all('HorizontalPodAutoscaler');
    expect(hpas.map((hpa) => hpa.spec.scaleTargetRef.name)).toEqual(['gateway']);
    expect(hpas[0]?.spec.metrics).toEqual([expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) })]);
    expect(all('ScaledObject').map((object) => object.spec.scaleTargetRef.name)).not.toContain('gateway');
  });

  it('keeps one PodDisruptionBudget per Deployment, selecting its pods and no others', () => {
    const budgets = all('PodDisruptionBudget');
    for (const budget of budgets) {
      const selected = all('Deployment').filter((object) => matches(budget.spec.selector.matchLabels, object.spec.template.metadata.labels));
      expect(selected).toHaveLength(1);
      expect(budget.spec.maxUnavailable ?? budget.spec.minAvailable).toBeDefined();
    }
    for (const object of all('Deployment')) {
      expect(budgets.filter((budget) => matches(budget.spec.selector.matchLabels, object.spec.template.metadata.labels))).toHaveLength(1);
    }
  });

  it('routes the Ingress to the gateway Service port, and internal URLs to the Services of the apps they name', () => {
    /** The app and container port a Service port reaches, for `http://<service>:<port>` or a port name. */
    const reach = (serviceName: string, port: number | string) => {
      const service = named('Service', serviceName) as K8s;
      const servicePort = service.spec.ports.find((candidate: K8s) => candidate.port === port || candidate.name === port);
      const app = APPS.find((candidate) => matches(service.spec.selector, deployment(candidate).spec.template.metadata.labels));
      const target = appContainer(app as string).ports.find((candidate: K8s) => candidate.name === servicePort?.targetPort || candidate.containerPort === servicePort?.targetPort);
      return { app, port: target?.containerPort as number | undefined };
    };
    const ingresses = all('Ingress');
    expect(ingresses).toHaveLength(1);
    const backends = (ingresses[0]?.spec.rules as K8s[]).flatMap((rule) => rule.http.paths.map((p: K8s) => p.backend.service));
    for (const backend of backends) {
      const { app, port } = reach(backend.name, backend.port.name ?? backend.port.number);
      expect(app).toBe('gateway');
      expect(port).toBe(Number(environment('gateway', appContainer('gateway')).values.PORT));
    }
    expect(appConfig('gateway').TRUST_PROXY).toBe(1); // one hop: the ingress controller

    for (const app of APPS) {
      for (const [key, value] of Object.entries(environment(app, appContainer(app)).values)) {
        const url = /^https?:\/\/([a-z0-9-]+):(\d+)\/?$/.exec(value ?? '');
        if (!url || !key.endsWith('_URL')) continue;
        const { app: target, port } = reach(url[1] as string, Number(url[2]));
        expect({ key, target: port === undefined ? undefined : target }).toEqual({ key, target: url[1] });
        expect(port).toBe(Number(environment(target as string, appContainer(target as string)).values.PORT));
      }
    }
  });
});

/** The one vector selector of a PromQL query: its metric and its label matchers' values. */
function promQlSelector(query: string): { metric: string; labels: Record<string, string> } {
  const text = (node: { from: number; to: number } | null | undefined) => (node ? query.slice(node.from, node.to) : '');
  const selectors: { metric: string; labels: Record<string, string> }[] = [];
  parser.parse(query).iterate({
    enter(ref) {
      if (ref.type.isError) throw new Error(`${query}: syntax error at ${ref.from}`);
      if (ref.name !== 'VectorSelector') return;
      const matchers = ref.node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? [];
      selectors.push({
        metric: text(ref.node.getChild('Identifier')),
        labels: Object.fromEntries(matchers.map((m) => [text(m.getChild('LabelName')), JSON.parse(text(m.getChild('StringLiteral'))) as string])),
      });
    },
  });
  expect(selectors).toHaveLength(1);
  return selectors[0] as { metric: string; labels: Record<string, string> };
}
