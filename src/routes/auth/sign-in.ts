import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ObjectId } from 'mongodb'
import { ref } from '../../schemas/ref.ts'
import { NO_TOKEN } from '../../schemas/security.ts'
import { Credentials } from '../../schemas/users.ts'
import { problemResponse } from '../../schemas/responses.ts'
import { accountDisabled, invalidCredentials } from '../../lib/problems/accounts.ts'
import { newSession, tokenPairResponses } from './token-pair.ts'

const signIn: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.post('/token', {
    config: { cacheControl: 'no-store' },
    schema: {
      operationId: 'signIn',
      tags: ['accounts'],
      summary: 'Sign in',
      description: 'Exchanges a username and password for an access token (a JWT to send as `Authorization: Bearer …`) ' +
        'and a refresh token (for `POST /auth/refresh`). Failed attempts are limited per username and per client address ' +
        '(10 in 15 minutes by default); past that, a 429 with `Retry-After`. A disabled account is a 403, answered only ' +
        'for the right password.',
      security: NO_TOKEN,
      body: ref(Credentials),
      response: {
        ...tokenPairResponses('Signed in.', { field: 'body.username', message: 'must match pattern "^[A-Za-z0-9][A-Za-z0-9_.-]*$"' },
          invalidCredentials(), 'The username or password is wrong (`INVALID_CREDENTIALS`); the same answer for both.'),
        403: problemResponse(403, accountDisabled().problem, 'The password is right but an administrator disabled the account (`ACCOUNT_DISABLED`).')
      }
    }
  }, async function (request, reply) {
    const { username, password } = request.body
    const signedIn = await fastify.signInLimiter.check(request, reply, username, () => fastify.usersRepository.signIn(username, password))
    if (!signedIn) throw invalidCredentials()
    if (signedIn.user.disabled) throw accountDisabled()
    return newSession(fastify, ObjectId.createFromHexString(signedIn.user.id), signedIn.sessionVersion)
  })
}

export default signIn
