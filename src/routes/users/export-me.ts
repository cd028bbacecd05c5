import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { unauthorized } from '../../lib/problems/accounts.ts'
import { signedInUserId } from '../../plugins/app/authentication.ts'
import { AccountExport } from '../../schemas/account-data.ts'
import { accountExportExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponsesOnly } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'

const exportMe: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/me/export', {
    config: { cacheControl: 'no-store' },
    preHandler: fastify.authenticate,
    schema: {
      operationId: 'exportCurrentUser',
      tags: ['accounts'],
      summary: 'Export my data',
      description: 'The signed-in account and every rating of it, as one JSON document, streamed: an account with many ' +
        'ratings arrives as it is read. It never holds a password hash or a token.',
      security: TOKEN_REQUIRED,
      response: {
        200: jsonResponse('The account\'s data.', AccountExport, accountExportExample),
        ...problemResponsesOnly(401, 429, 500, 503)
      }
    }
  }, async function (request, reply) {
    const userId = signedInUserId(request)
    const data = await fastify.accountExportRepository.open(userId)
    // Deleted between the token check and this read.
    if (!data) throw unauthorized(true)
    fastify.auditLog(request, 'account_export', userId)
    return reply
      .type('application/json')
      .header('content-disposition', `attachment; filename="songs-api-export-${userId.toHexString()}.json"`)
      // The document's text as a stream: Fastify sends a stream as it is, unserialized; the schema documents its shape.
      .send(data as never)
  })
}

export default exportMe
