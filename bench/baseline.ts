import type { FastifyInstance } from 'fastify'

/** The benchmark's ceiling: a constant JSON answer through the same plugins and hooks as every route. */
export const BASELINE_PATH = '/bench/baseline'

const BASELINE = { song_id: '000000000000000000000000', average: 3.5, lowest: 1, highest: 5, count: 42 }

export function addBaselineRoute (app: FastifyInstance): void {
  app.get(BASELINE_PATH, { config: { cacheControl: 'public, max-age=60' } }, async () => BASELINE)
}
