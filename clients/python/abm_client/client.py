"""A thin helper over the generated gRPC stubs of abm.v1."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import grpc
from google.protobuf import json_format

from abm.v1 import admin_pb2, admin_pb2_grpc, event_pb2, metrics_pb2, metrics_pb2_grpc

EventLike = Union[Mapping[str, Any], str, event_pb2.Event]
TimeLike = Union[str, dt.datetime, None]


class AbmError(Exception):
    """A failed call: `code` is the gRPC status name (e.g. "INVALID_ARGUMENT")."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclasses.dataclass
class IngestResult:
    accepted: int
    duplicates: int
    rejected: int
    # (index in the events given to ingest(), reason naming the field)
    rejections: list


def _event(e: EventLike) -> event_pb2.Event:
    if isinstance(e, event_pb2.Event):
        return e
    if isinstance(e, str):
        return json_format.Parse(e, event_pb2.Event())
    return json_format.ParseDict(dict(e), event_pb2.Event())


def _timestamp(value: TimeLike, field: str, out) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        out.FromDatetime(value.astimezone(dt.timezone.utc).replace(tzinfo=None))
        return
    text = value if len(value) != 10 else value + "T00:00:00Z"
    try:
        out.FromJsonString(text)
    except ValueError as err:
        raise AbmError("INVALID_ARGUMENT", f"{field}: bad time {value!r}: {err}") from None


def _duration(value: Union[str, int, float, dt.timedelta], out) -> None:
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, (int, float)):
        seconds = float(value)
    else:
        units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        unit = units.get(value[-1:], None)
        number = value[:-1] if unit else value
        try:
            seconds = float(number) * (unit or 1)
        except ValueError:
            raise AbmError("INVALID_ARGUMENT", f"interval: bad duration {value!r}") from None
    out.seconds = int(seconds)
    out.nanos = int(round((seconds - int(seconds)) * 1e9))


def _row(row: metrics_pb2.Row) -> dict:
    return {
        "labels": dict(row.labels),
        "bucket_start": row.bucket_start.ToDatetime(tzinfo=dt.timezone.utc)
        if row.HasField("bucket_start") else None,
        "value": row.value if row.HasField("value") else None,
        "count": row.count,
    }


class Client:
    """Connects to one server. `token` is sent as a bearer token; `tls_ca` (a
    PEM file) switches to TLS; `timeout` (seconds) applies to every call."""

    def __init__(self, address: str = "127.0.0.1:50051", token: Optional[str] = None,
                 tls_ca: Optional[str] = None, timeout: Optional[float] = None):
        options = [("grpc.max_receive_message_length", 64 << 20),
                   ("grpc.max_send_message_length", 64 << 20)]
        if tls_ca:
            with open(tls_ca, "rb") as f:
                creds = grpc.ssl_channel_credentials(root_certificates=f.read())
            self._channel = grpc.secure_channel(address, creds, options)
        else:
            self._channel = grpc.insecure_channel(address, options)
        self._metadata = [("authorization", f"Bearer {token}")] if token else []
        self._timeout = timeout
        self._metrics = metrics_pb2_grpc.MetricsServiceStub(self._channel)
        self._admin = admin_pb2_grpc.AdminServiceStub(self._channel)

    def close(self) -> None:
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _call(self, method, request):
        try:
            return method(request, timeout=self._timeout, metadata=self._metadata)
        except grpc.RpcError as err:
            raise AbmError(err.code().name, err.details() or "") from None

    def ingest(self, events: Iterable[EventLike], batch_size: int = 1000) -> IngestResult:
        """Stores events (dicts in the SPEC's JSON form, JSON strings, or Event
        messages) in batches; returns the totals and each rejected event's
        index in `events` with its reason."""
        result = IngestResult(0, 0, 0, [])
        batch = metrics_pb2.IngestRequest()
        offset = 0

        def flush():
            nonlocal batch, offset
            if not batch.events:
                return
            resp = self._call(self._metrics.Ingest, batch)
            result.accepted += resp.accepted
            result.duplicates += resp.duplicates
            result.rejected += resp.rejected
            result.rejections.extend((offset + r.index, r.reason) for r in resp.rejections)
            offset += len(batch.events)
            batch = metrics_pb2.IngestRequest()

        for e in events:
            try:
                batch.events.append(_event(e))
            except json_format.ParseError as err:
                raise AbmError("INVALID_ARGUMENT",
                               f"event {offset + len(batch.events)}: {err}") from None
            if len(batch.events) >= batch_size:
                flush()
        flush()
        return result

    def query(self, metric: str, from_: TimeLike = None, to: TimeLike = None,
              interval=None, group_by: Sequence[str] = (), scope: Optional[str] = None,
              params: Optional[Mapping[str, Any]] = None) -> list:
        """Runs a query; rows are dicts {labels, bucket_start, value, count}
        with value None where the metric is undefined."""
        req = metrics_pb2.QueryRequest(metric=metric, group_by=list(group_by),
                                       scope=scope or "")
        _timestamp(from_, "from", req.__getattribute__("from"))
        _timestamp(to, "to", req.to)
        if interval is not None:
            _duration(interval, req.interval)
        for k, v in (params or {}).items():
            req.params[k] = str(v)
        return [_row(r) for r in self._call(self._metrics.Query, req).rows]

    def list_metrics(self) -> list:
        resp = self._call(self._metrics.ListMetrics, metrics_pb2.ListMetricsRequest())
        return [json_format.MessageToDict(m, preserving_proto_field_name=True)
                for m in resp.metrics]

    def plugins(self) -> list:
        resp = self._call(self._admin.ListPlugins, admin_pb2.ListPluginsRequest())
        return [json_format.MessageToDict(p, preserving_proto_field_name=True)
                for p in resp.plugins]

    def load_plugin(self, name: str) -> dict:
        return self._plugin_call(self._admin.LoadPlugin, name)

    def unload_plugin(self, name: str) -> dict:
        return self._plugin_call(self._admin.UnloadPlugin, name)

    def reload_plugin(self, name: str) -> dict:
        return self._plugin_call(self._admin.ReloadPlugin, name)

    def _plugin_call(self, method, name: str) -> dict:
        resp = self._call(method, admin_pb2.PluginRequest(name=name))
        return json_format.MessageToDict(resp, preserving_proto_field_name=True)

    def stats(self) -> dict:
        resp = self._call(self._admin.GetStats, admin_pb2.GetStatsRequest())
        return json_format.MessageToDict(resp, preserving_proto_field_name=True,
                                         including_default_value_fields=True)
