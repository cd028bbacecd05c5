import type { Db, Document } from 'mongodb'
import { queryPlanOf, type QueryPlan } from '../src/db/engine.ts'

/** The command as `explain` takes it: without the driver's session and `$`-fields. */
export function explainable (command: Document): Document {
  return Object.fromEntries(Object.entries(command).filter(([key]) => !key.startsWith('$') && !['lsid', 'txnNumber'].includes(key)))
}

/** What `explain` says of a command the driver sent, run again as it was sent. */
export async function planOf (db: Db, command: Document, verbosity: 'queryPlanner' | 'executionStats'): Promise<QueryPlan> {
  return queryPlanOf(await db.command({ explain: explainable(command), verbosity }))
}
