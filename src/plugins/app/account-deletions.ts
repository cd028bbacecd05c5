import { randomUUID } from 'node:crypto'
import fp from 'fastify-plugin'
import type { ObjectId } from 'mongodb'
import { accountDeletions as accountDeletionJobs } from '../../db/account-deletions.ts'

declare module 'fastify' {
  interface FastifyInstance {
    accountDeletions: AccountDeletionRunner
  }
}

export interface AccountDeletionRunner {
  /**
   * Deletes the account at once (see `accountDeletions.begin`) and does one batch of its derived work: `done`
   * when every rating of it is out of the summaries, `running` while the rest runs in the background.
   */
  delete: (userId: ObjectId) => Promise<'done' | 'running'>
}

/** How often an idle instance looks for a job to take over (a released one, a crashed instance's, a final sweep due). */
const POLL_MS = 5000

/**
 * Runs account deletion jobs on every instance: claims any job whose lease ran out, works on it to the end, and
 * looks again; at start, so a job left by a crash or a restart is resumed, and at once after a deletion handed one
 * over. A stopping instance finishes its batch and releases its job, so another takes it over straight away.
 */
export default fp(async function accountDeletions (fastify) {
  const owner = randomUUID()
  const jobs = accountDeletionJobs(fastify.collections, fastify.ratingsRepository, { maxTimeMS: fastify.config.mongodbTimeoutMs })
  const state = { stopping: false }
  let wake: (() => void) | undefined
  let running: Promise<void> | undefined

  async function next (): Promise<boolean> {
    const job = await jobs.claim(owner)
    if (!job) return false
    const outcome = await jobs.work(job, owner, { shouldStop: () => state.stopping })
    if (outcome === 'paused') await jobs.release(job._id, owner)
    fastify.log.info({ userId: job._id.toHexString(), outcome }, 'account deletion job')
    return true
  }

  async function loop (): Promise<void> {
    while (!state.stopping) {
      try {
        if (await next()) continue
      } catch (err) {
        // The job stays leased until its lease runs out; then this or another instance carries on with it.
        fastify.log.warn({ err }, 'account deletion job failed; it is taken up again when its lease runs out')
      }
      if (state.stopping) break
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, POLL_MS).unref()
        wake = () => { clearTimeout(timer); resolve() }
      })
      wake = undefined
    }
  }

  fastify.addHook('onReady', async () => { running = loop() })
  fastify.addHook('onClose', async () => {
    state.stopping = true
    wake?.()
    await running
  })

  fastify.decorate('accountDeletions', {
    async delete (userId) {
      const job = await jobs.begin(userId, owner)
      if (!job) return 'running'
      try {
        const outcome = await jobs.work(job, owner, { maxBatches: 1 })
        if (outcome !== 'paused') return outcome === 'lost' ? 'running' : 'done'
        await jobs.release(userId, owner)
        wake?.()
      } catch (err) {
        // The account is deleted already; the job carries on once its lease runs out.
        fastify.log.warn({ err, userId: userId.toHexString() }, 'account deletion: its first batch failed; the job carries on later')
      }
      return 'running'
    }
  } satisfies AccountDeletionRunner)
}, { name: 'account-deletions', dependencies: ['database', 'ratings-repository'] })
