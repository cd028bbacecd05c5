import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { ObjectId } from 'mongodb'
import { Counter } from 'prom-client'
import { signedInUser } from './authentication.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Records an action on an account: one `info` line `{audit: {action, actor_id, target_user_id}}` and one more in
     * `songs_api_account_actions_total{action}`. `action` is a fixed name (`password_change`, `user_update` …),
     * never data from the request, so the metric's series stay few.
     */
    auditLog: (request: FastifyRequest, action: string, targetUserId: ObjectId | string) => void
  }
}

/**
 * The audit trail of account changes (who changed which account, and how), for support and incident response. The
 * line carries ids and the action's name only: never a password, hash or token. `actor_id` is the signed-in
 * caller; null when the request carried no access token (signing out with a refresh token).
 */
export default fp(async function auditLog (fastify) {
  const actions = new Counter({
    name: 'songs_api_account_actions_total',
    help: 'Actions on accounts (password changes, sign-outs, admin changes, deletions), by action',
    labelNames: ['action'],
    registers: [fastify.metricsRegistry]
  })

  fastify.decorate('auditLog', function auditLog (request: FastifyRequest, action: string, targetUserId: ObjectId | string) {
    const target = typeof targetUserId === 'string' ? targetUserId : targetUserId.toHexString()
    request.log.info({ audit: { action, actor_id: signedInUser(request)?.id ?? null, target_user_id: target } }, 'account action')
    actions.inc({ action })
  })
}, { name: 'audit-log', dependencies: ['metrics'] })
