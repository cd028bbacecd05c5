import type { Db, Document } from 'mongodb'

/**
 * The MongoDB-compatible engines this API is run on, told apart by what they answer, never by a setting:
 * - `mongodb`: MongoDB itself (and services answering like it);
 * - `ferretdb-v1`: FerretDB 1 (`buildInfo.ferretdbVersion`), on SQLite or PostgreSQL, the server CI uses here;
 * - `documentdb`: FerretDB 2 on PostgreSQL with the DocumentDB extension (`buildInfo.ferretdb.version`), the
 *   engine family behind several managed "MongoDB-compatible" services.
 */
export type EngineKind = 'mongodb' | 'ferretdb-v1' | 'documentdb'

export interface Engine {
  kind: EngineKind
  /** Names the engine and its version, e.g. "FerretDB v1.24.2 (MongoDB 7.0.42 wire)". */
  name: string
  /**
   * Whether concurrent update operators (`$inc`, `$min`, `$max`) on one document are applied atomically. FerretDB 1
   * reads the document, applies them in Go and writes it back, unlocked: concurrent updates can be lost there.
   * MongoDB, and DocumentDB (one PostgreSQL UPDATE, which locks the row), apply them atomically.
   */
  atomicUpdates: boolean
}

export function engineFromBuildInfo (buildInfo: Document): Engine {
  if (typeof buildInfo.ferretdbVersion === 'string') {
    return { kind: 'ferretdb-v1', name: `FerretDB ${buildInfo.ferretdbVersion} (MongoDB ${buildInfo.version} wire)`, atomicUpdates: false }
  }
  if (typeof buildInfo.ferretdb?.version === 'string') {
    return { kind: 'documentdb', name: `FerretDB ${buildInfo.ferretdb.version} on PostgreSQL with DocumentDB (MongoDB ${buildInfo.version} wire)`, atomicUpdates: true }
  }
  return { kind: 'mongodb', name: `MongoDB ${buildInfo.version}`, atomicUpdates: true }
}

export async function engineOf (db: Db): Promise<Engine> {
  return engineFromBuildInfo(await db.admin().command({ buildInfo: 1 }))
}

/** One node of a PostgreSQL plan, as DocumentDB's `explain` answers it. */
export interface PostgresPlanNode { type: string, index?: string, relation?: string }

/**
 * What an `explain` (verbosity `executionStats`) says about a query, by the shape of the answer:
 * - MongoDB: `queryPlanner.winningPlan` stages and `executionStats` counts;
 * - PostgreSQL-based engines: `queryPlanner.Plan`, a tree of nodes with `Node Type` and `Index Name`;
 * - FerretDB 1: `queryPlanner.Plan` as lines of SQLite's plan, with no statistics and no index but `_id`'s.
 */
export type QueryPlan =
  | { shape: 'mongodb', stages: string[], keysExamined: number, docsExamined: number, returned: number }
  | { shape: 'postgresql', nodes: PostgresPlanNode[] }
  | { shape: 'sqlite', lines: string[] }

export function queryPlanOf (explained: Document): QueryPlan {
  const planner = explained.queryPlanner ?? {}
  if (planner.winningPlan) {
    const stats = explained.executionStats ?? {}
    return { shape: 'mongodb', stages: valuesOf(planner.winningPlan, 'stage'), keysExamined: stats.totalKeysExamined, docsExamined: stats.totalDocsExamined, returned: stats.nReturned }
  }
  if (Array.isArray(planner.Plan) && planner.Plan.every((line: unknown) => typeof line === 'string')) return { shape: 'sqlite', lines: planner.Plan }
  if (planner.Plan && typeof planner.Plan === 'object') return { shape: 'postgresql', nodes: postgresNodes(planner.Plan) }
  throw new Error(`explain answered a shape this project does not know: ${JSON.stringify(explained).slice(0, 500)}`)
}

/** Every value of `key` anywhere in a nested plan, outermost first. */
function valuesOf (plan: unknown, key: string): string[] {
  if (!plan || typeof plan !== 'object') return []
  return Object.entries(plan).flatMap(([name, value]) => name === key && typeof value === 'string' ? [value] : valuesOf(value, key))
}

function postgresNodes (plan: unknown): PostgresPlanNode[] {
  if (Array.isArray(plan)) return plan.flatMap(postgresNodes)
  if (!plan || typeof plan !== 'object') return []
  const node = plan as Record<string, unknown>
  const children = [node.Plan, node.Plans].flatMap(postgresNodes)
  if (typeof node['Node Type'] !== 'string') return children
  return [{
    type: node['Node Type'],
    ...(typeof node['Index Name'] === 'string' ? { index: node['Index Name'] } : {}),
    ...(typeof node['Relation Name'] === 'string' ? { relation: node['Relation Name'] } : {})
  }, ...children]
}
