import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { decodeTextCursor } from '../../lib/cursor.ts'
import { userPageExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponses } from '../../schemas/responses.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'
import { UserPage, UsersQuery } from '../../schemas/user-directory.ts'

const listUsers: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.get('/', {
    config: { cacheControl: 'private, no-cache' },
    preHandler: [fastify.authenticate, fastify.isAdmin],
    schema: {
      operationId: 'listUsers',
      tags: ['users'],
      summary: 'List users (admin)',
      description: 'Accounts in username order, a page at a time; with `username`, only those whose name starts with it. ' +
        'Follow `next_cursor` until it is `null`.',
      security: TOKEN_REQUIRED,
      querystring: UsersQuery,
      response: {
        200: jsonResponse('A page of users.', UserPage, userPageExample),
        ...problemResponses({ field: 'querystring.username', message: 'must match pattern "^[A-Za-z0-9_.-]+$"' }, 401, 403)
      }
    }
  }, async function (request) {
    const { limit, cursor, username } = request.query
    return fastify.userDirectoryRepository.list(limit, cursor === undefined ? undefined : decodeTextCursor(cursor), username)
  })
}

export default listUsers
