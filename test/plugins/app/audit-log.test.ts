import t from 'tap'
import { signUp } from '../../accounts.ts'
import { buildTestApp } from '../../helper.ts'
import { logLines } from '../../log-lines.ts'

t.test('auditLog writes one info line naming the action, the caller and the account, and counts it by action', async t => {
  const { stream, lines } = logLines()
  const app = await buildTestApp(t, { LOG_LEVEL: 'info' }, { logStream: stream })
  // A route of this test only: the plugin is what is under test, not a route that uses it.
  app.post('/audited/:target', { preHandler: app.authenticateOptional }, async (request, reply) => {
    app.auditLog(request, 'test_action', (request.params as { target: string }).target)
    return reply.code(204).send()
  })
  const caller = await signUp(app)
  const target = await signUp(app)

  t.equal((await app.inject({ method: 'POST', url: `/audited/${target.id}`, headers: caller.authorization })).statusCode, 204)
  t.equal((await app.inject({ method: 'POST', url: `/audited/${target.id}` })).statusCode, 204)

  const audited = lines.filter(line => line.audit !== undefined)
  t.same(audited.map(line => [line.level, line.msg, line.audit]), [
    [30, 'account action', { action: 'test_action', actor_id: caller.id, target_user_id: target.id }],
    [30, 'account action', { action: 'test_action', actor_id: null, target_user_id: target.id }]
  ], 'one info line per action; no caller without a token')
  t.ok(audited.every(line => typeof line.reqId === 'string'), 'each line carries its request id')
  const metrics = (await app.inject('/metrics')).body
  t.match(metrics, /^songs_api_account_actions_total\{action="test_action"\} 2$/m)
})
