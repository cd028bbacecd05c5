import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { signedInUserId } from '../../plugins/app/authentication.ts'
import { ref } from '../../schemas/ref.ts'
import { TOKEN_REQUIRED } from '../../schemas/security.ts'
import { PasswordChange } from '../../schemas/users.ts'
import { invalidCredentials, unauthorized } from '../../lib/problems/accounts.ts'
import { newSession, tokenPairResponses } from '../auth/token-pair.ts'

const changePassword: FastifyPluginAsyncTypebox = async function (fastify) {
  fastify.put('/me/password', {
    config: { cacheControl: 'no-store' },
    preHandler: fastify.authenticate,
    schema: {
      operationId: 'changePassword',
      tags: ['accounts'],
      summary: 'Change the password',
      description: 'Replaces the password of the signed-in user; the new one follows the sign-up rules. Every session ' +
        'ends: the old password no longer signs in, every refresh token issued before is refused, and every access ' +
        'token issued before, the one sent included, is refused from the next request on. The answer is the pair of ' +
        'a new session. A wrong `current_password` counts as a failed sign-in of the account (the same limit).',
      security: TOKEN_REQUIRED,
      body: ref(PasswordChange),
      response: tokenPairResponses('The password is changed; these tokens are the only ones that work.',
        { field: 'body.new_password', message: 'must NOT have fewer than 12 characters' }, unauthorized(true),
        'The bearer token is not valid (`UNAUTHORIZED`, with `WWW-Authenticate`), or `current_password` is wrong (`INVALID_CREDENTIALS`, counted as a failed sign-in).')
    }
  }, async function (request, reply) {
    const userId = signedInUserId(request)
    const user = await fastify.usersRepository.findById(userId)
    // Deleted between the token check and this read.
    if (!user) throw unauthorized(true)
    const sessionVersion = await fastify.signInLimiter.check(request, reply, user.username,
      () => fastify.usersRepository.changePassword(userId, request.body.current_password, request.body.new_password))
    if (sessionVersion === null) throw invalidCredentials()
    fastify.auditLog(request, 'password_change', userId)
    return newSession(fastify, userId, sessionVersion)
  })
}

export default changePassword
