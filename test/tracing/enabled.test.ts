import t from 'tap'
import { tracingEnabled } from '../../src/tracing/enabled.ts'

t.test('tracing is on only with an OTLP endpoint, and not switched off', async t => {
  t.notOk(tracingEnabled({}), 'nothing set: off')
  t.ok(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }), 'the endpoint of every signal')
  t.ok(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }), 'the traces endpoint')
  t.notOk(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }), 'an empty endpoint: off')
  t.notOk(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }), 'OTEL_SDK_DISABLED=true')
  t.notOk(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' }), 'OTEL_TRACES_EXPORTER=none')
  t.ok(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'false' }), 'OTEL_SDK_DISABLED=false')
})
