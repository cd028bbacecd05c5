import fp from 'fastify-plugin'

/**
 * While the server closes, every answer also closes its connection. A keep-alive client then reconnects to
 * another instance, and `close()` is not held up until the idle connection's keep-alive timeout runs out.
 */
export default fp(async function drain (fastify) {
  let closing = false
  fastify.addHook('preClose', async () => { closing = true })
  fastify.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close')
  })
}, { name: 'drain' })
