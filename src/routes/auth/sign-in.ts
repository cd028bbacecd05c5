import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { ref } from '../../schemas/ref.ts'
import { NO_TOKEN } from '../../schemas/security.ts'
import { Credentials } from '../../schemas/users.ts'
import { tokenPair, tokenPairResponses } from './token-pair.ts'
import { invalidCredentials } from '../../lib/problems/accounts.ts'

const signIn: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.post('/token', {
    config: { cacheControl: 'no-store' },
    preHandler: fastify.signInLimiter.attempt,
    schema: {
      operationId: 'signIn',
      tags: ['accounts'],
      summary: 'Sign in',
      description: 'Exchanges a username and password for an access token (a JWT to send as `Authorization: Bearer …`) ' +
        'and a refresh token (for `POST /auth/refresh`). Failed attempts are limited per username and per client address ' +
        '(10 in 15 minutes by default); past that, a 429 with `Retry-After`.',
      security: NO_TOKEN,
      body: ref(Credentials),
      response: tokenPairResponses('Signed in.', { field: 'body.username', message: 'must match pattern "^[A-Za-z0-9][A-Za-z0-9_.-]*$"' },
        invalidCredentials(), 'The username or password is wrong (`INVALID_CREDENTIALS`); the same answer for both.')
    }
  }, async function (request) {
    const { username, password } = request.body
    const user = await fastify.usersRepository.signIn(username, password)
    if (!user) throw invalidCredentials()
    await fastify.signInLimiter.succeeded(request)
    return tokenPair(fastify, user, await fastify.refreshTokensRepository.issue(ObjectId.createFromHexString(user.id)))
  })
}

export default signIn
