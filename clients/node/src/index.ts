// Node client for the ABM metrics server: the generated descriptors of
// proto/abm/v1 loaded with @grpc/proto-loader, typed by proto-loader-gen-types,
// and a thin helper with the same surface as the Python client.
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as MetricsProto } from './generated/metrics';
import type { ProtoGrpcType as AdminProto } from './generated/admin';
import type { MetricsServiceClient } from './generated/abm/v1/MetricsService';
import type { AdminServiceClient } from './generated/abm/v1/AdminService';
import type { Event } from './generated/abm/v1/Event';
import type { IngestResponse__Output } from './generated/abm/v1/IngestResponse';
import type { QueryRequest } from './generated/abm/v1/QueryRequest';
import type { QueryResponse__Output } from './generated/abm/v1/QueryResponse';
import type { MetricDescriptor__Output } from './generated/abm/v1/MetricDescriptor';
import type { PluginInfo__Output } from './generated/abm/v1/PluginInfo';
import type { GetStatsResponse__Output } from './generated/abm/v1/GetStatsResponse';

export type { Event };

/** A failed call: `code` is the gRPC status name, e.g. "INVALID_ARGUMENT". */
export class AbmError extends Error {
  constructor(public readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'AbmError';
  }
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** [index in the events given to ingest(), reason naming the field] */
  rejections: Array<[number, string]>;
}

export interface Row {
  labels: Record<string, string>;
  bucketStart: Date | null;
  /** null where the metric is undefined */
  value: number | null;
  count: number;
}

export interface QueryOptions {
  from?: string | Date;
  to?: string | Date;
  /** seconds, or "90m", "36h", "7d" */
  interval?: string | number;
  groupBy?: string[];
  scope?: 'target' | 'all';
  params?: Record<string, string | number>;
}

export interface ClientOptions {
  token?: string;
  /** PEM file with the CA that signed the server's certificate */
  tlsCa?: string;
  /** per-call deadline in seconds */
  timeout?: number;
}

function protoDir(): string {
  return path.resolve(__dirname, '..', 'proto');
}

function loadPackage(): MetricsProto & AdminProto {
  const def = protoLoader.loadSync(['abm/v1/metrics.proto', 'abm/v1/admin.proto'], {
    includeDirs: [protoDir()],
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(def) as unknown as MetricsProto & AdminProto;
}

/** RFC 3339 (nanosecond precision kept), a date, or a Date -> Timestamp. */
function toTimestamp(t: string | Date, field: string) {
  if (t instanceof Date) {
    const ms = t.getTime();
    const seconds = Math.floor(ms / 1000);
    return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
  }
  const text = t.length === 10 ? `${t}T00:00:00Z` : t;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/i.exec(text);
  const ms = m ? Date.parse(m[1] + m[3]) : NaN;
  if (Number.isNaN(ms)) throw new AbmError('INVALID_ARGUMENT', `${field}: bad time ${t}`);
  const nanos = m && m[2] ? Number(m[2].slice(1).padEnd(9, '0')) : 0;
  return { seconds: String(ms / 1000), nanos };
}

/** An event in the SPEC's JSON form -> the loader's object form. */
function toMessage(e: Event | Record<string, unknown>): Event {
  const out = { ...(e as Record<string, unknown>) };
  if (typeof out.occurredAt === 'string') out.occurredAt = toTimestamp(out.occurredAt, 'occurredAt');
  return out as Event;
}

function toDuration(d: string | number) {
  let seconds: number;
  if (typeof d === 'number') {
    seconds = d;
  } else {
    const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
    const unit = units[d.slice(-1)];
    seconds = Number(unit ? d.slice(0, -1) : d) * (unit ?? 1);
  }
  if (!(seconds > 0)) throw new AbmError('INVALID_ARGUMENT', `interval: bad duration ${String(d)}`);
  const whole = Math.floor(seconds);
  return { seconds: String(whole), nanos: Math.round((seconds - whole) * 1e9) };
}

export class Client {
  private readonly metrics: MetricsServiceClient;
  private readonly admin: AdminServiceClient;
  private readonly metadata = new grpc.Metadata();

  constructor(address = '127.0.0.1:50051', private readonly options: ClientOptions = {}) {
    const pkg = loadPackage();
    const creds = options.tlsCa
      ? grpc.credentials.createSsl(fs.readFileSync(options.tlsCa))
      : grpc.credentials.createInsecure();
    const channelOptions = {
      'grpc.max_receive_message_length': 64 << 20,
      'grpc.max_send_message_length': 64 << 20,
    };
    this.metrics = new pkg.abm.v1.MetricsService(address, creds, channelOptions);
    this.admin = new pkg.abm.v1.AdminService(address, creds, channelOptions);
    if (options.token) this.metadata.set('authorization', `Bearer ${options.token}`);
  }

  close(): void {
    this.metrics.close();
    this.admin.close();
  }

  private call<Req, Res>(
    client: grpc.Client,
    method: string,
    request: Req,
  ): Promise<Res> {
    const callOptions: grpc.CallOptions = {};
    if (this.options.timeout) callOptions.deadline = Date.now() + this.options.timeout * 1000;
    return new Promise((resolve, reject) => {
      const fn = (client as unknown as Record<string, Function>)[method].bind(client);
      fn(request, this.metadata, callOptions, (err: grpc.ServiceError | null, res: Res) => {
        if (err) reject(new AbmError(grpc.status[err.code] ?? 'UNKNOWN', err.details));
        else resolve(res);
      });
    });
  }

  /** Stores events (objects in the SPEC's JSON form) in batches. */
  async ingest(events: Iterable<Event | Record<string, unknown>>, batchSize = 1000): Promise<IngestResult> {
    const result: IngestResult = { accepted: 0, duplicates: 0, rejected: 0, rejections: [] };
    let batch: Event[] = [];
    let offset = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const res = await this.call<{ events: Event[] }, IngestResponse__Output>(
        this.metrics, 'Ingest', { events: batch });
      result.accepted += Number(res.accepted);
      result.duplicates += Number(res.duplicates);
      result.rejected += Number(res.rejected);
      for (const r of res.rejections) result.rejections.push([offset + Number(r.index), r.reason]);
      offset += batch.length;
      batch = [];
    };
    for (const e of events) {
      batch.push(toMessage(e));
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    return result;
  }

  /** Runs a query; value is null where the metric is undefined. */
  async query(metric: string, opts: QueryOptions = {}): Promise<Row[]> {
    const req: QueryRequest = {
      metric,
      groupBy: opts.groupBy ?? [],
      scope: opts.scope ?? '',
      params: Object.fromEntries(
        Object.entries(opts.params ?? {}).map(([k, v]) => [k, String(v)])),
    };
    if (opts.from !== undefined) req.from = toTimestamp(opts.from, 'from');
    if (opts.to !== undefined) req.to = toTimestamp(opts.to, 'to');
    if (opts.interval !== undefined) req.interval = toDuration(opts.interval);
    const res = await this.call<QueryRequest, QueryResponse__Output>(this.metrics, 'Query', req);
    return res.rows.map((r) => ({
      labels: { ...r.labels },
      bucketStart: r.bucketStart
        ? new Date(Number(r.bucketStart.seconds) * 1000 + Math.floor(r.bucketStart.nanos / 1e6))
        : null,
      value: r._value === 'value' && r.value !== undefined ? r.value : null,
      count: Number(r.count),
    }));
  }

  async listMetrics(): Promise<MetricDescriptor__Output[]> {
    const res = await this.call<object, { metrics: MetricDescriptor__Output[] }>(
      this.metrics, 'ListMetrics', {});
    return res.metrics;
  }

  async plugins(): Promise<PluginInfo__Output[]> {
    const res = await this.call<object, { plugins: PluginInfo__Output[] }>(
      this.admin, 'ListPlugins', {});
    return res.plugins;
  }

  loadPlugin(name: string) { return this.pluginCall('LoadPlugin', name); }
  unloadPlugin(name: string) { return this.pluginCall('UnloadPlugin', name); }
  reloadPlugin(name: string) { return this.pluginCall('ReloadPlugin', name); }

  private pluginCall(method: string, name: string) {
    return this.call<{ name: string }, { plugin: PluginInfo__Output; backfillSeconds: number }>(
      this.admin, method, { name });
  }

  stats(): Promise<GetStatsResponse__Output> {
    return this.call<object, GetStatsResponse__Output>(this.admin, 'GetStats', {});
  }
}
