import type { FastifyInstance } from 'fastify'
import type { Static } from 'typebox'
import type { FieldError, ProblemError } from '../../lib/problems/problem.ts'
import type { SignedInUser } from '../../plugins/external/jwt.ts'
import { TokenPair } from '../../schemas/auth.ts'
import { tokenPairExample } from '../../schemas/examples.ts'
import { jsonResponse, problemResponse, problemResponses } from '../../schemas/responses.ts'

/** What a sign-in or a refresh answers: a fresh access token for `user` beside the refresh token. */
export function tokenPair (fastify: FastifyInstance, user: SignedInUser, refreshToken: string): Static<typeof TokenPair> {
  return {
    access_token: fastify.jwt.sign({ sub: user.id, roles: user.roles }),
    token_type: 'Bearer',
    expires_in: fastify.config.accessTokenTtlSeconds,
    refresh_token: refreshToken
  }
}

/** The documented answers of a route that hands out tokens: the pair, or a 401 of its own kind. */
export function tokenPairResponses (description: string, invalid: FieldError, unauthorized: ProblemError, unauthorizedDescription: string) {
  return {
    200: jsonResponse(description, TokenPair, tokenPairExample),
    ...problemResponses(invalid, 413, 415),
    401: problemResponse(401, unauthorized.problem, unauthorizedDescription)
  }
}
