import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { PROMETHEUS_RULES } from '../../infra/constructs/metrics-collector.ts'

interface Rule { alert?: string, record?: string, expr: string, for?: string, labels?: Record<string, string> }

/** Every recording and alerting rule of monitoring/prometheus, all groups together. */
export const rules: Rule[] = parse(readFileSync(PROMETHEUS_RULES, 'utf8')).groups.flatMap((group: { rules: Rule[] }) => group.rules)
