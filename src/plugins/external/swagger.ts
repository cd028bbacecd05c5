import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, FastifySchema } from 'fastify'
import fp from 'fastify-plugin'
import { COMPONENT_EXAMPLES, PARAMETER_EXAMPLES } from '../../schemas/examples.ts'

interface QuerySchema { properties?: Record<string, { default?: unknown }>, required?: string[] }
interface ObjectSchema { properties?: Record<string, object> }

/**
 * Validation fills in a query parameter's default, so the schema marks it required; for a client it is
 * optional, and the document says so.
 */
function withOptionalDefaults (schema: FastifySchema): FastifySchema {
  const query = schema?.querystring as QuerySchema | undefined
  if (!query?.required) return schema
  const required = query.required.filter(name => query.properties?.[name]?.default === undefined)
  return { ...schema, querystring: { ...query, required } }
}

/** The path and query parameters with their examples (PARAMETER_EXAMPLES), where the schemas themselves carry none. */
function withParameterExamples (schema: FastifySchema): FastifySchema {
  const withExamples = (part: unknown) => {
    const { properties } = (part ?? {}) as ObjectSchema
    if (!properties) return part
    return {
      ...part as object,
      properties: Object.fromEntries(Object.entries(properties).map(([name, property]) =>
        [name, name in PARAMETER_EXAMPLES && !('examples' in property) ? { ...property, examples: [PARAMETER_EXAMPLES[name]] } : property]))
    }
  }
  return schema && { ...schema, params: withExamples(schema.params), querystring: withExamples(schema.querystring) }
}

/** The OpenAPI document is generated from the route schemas; shared schemas become named components. */
export default fp(async function swagger (fastify: FastifyInstance) {
  await fastify.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'songs-api',
        version: '1.0.0',
        description: 'A music-learning catalog: list and search songs, average difficulty, rate songs and read rating summaries; ' +
          'accounts sign up and sign in for bearer tokens. ' +
          'Every error is `application/problem+json` (RFC 9457) with a stable `code`. Besides the statuses listed per operation, ' +
          'an unknown path answers 404 `NOT_FOUND` and a method a path does not serve answers 405 `METHOD_NOT_ALLOWED` with an `Allow` header. ' +
          'Paths have no trailing slash: with one, a request is a 308 redirect to the path without it (query kept).'
      },
      // Relative: Swagger UI and generated clients call the server that serves the document.
      servers: [{ url: '/', description: 'This server' }],
      // Each operation says whether it needs a bearer token (see src/schemas/security.ts); none by default.
      security: [],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'An access token from `POST /auth/token` or `POST /auth/refresh`, sent as `Authorization: Bearer <access_token>`.'
          }
        }
      },
      tags: [
        { name: 'songs', description: 'The catalog' },
        { name: 'ratings', description: 'Song ratings' },
        { name: 'accounts', description: 'Sign-up, sign-in and tokens' },
        { name: 'operations', description: 'Liveness and readiness probes' },
        { name: 'users', description: 'Accounts as admins manage them' }
      ]
    },
    // `GET /songs` is registered as `/` under the `/songs` prefix; document it without the trailing slash.
    transform: ({ schema, url }) => ({ schema: withParameterExamples(withOptionalDefaults(schema)), url: url.length > 1 ? url.replace(/\/$/, '') : url }),
    // Each shared schema's example comes from COMPONENT_EXAMPLES, by its name.
    transformObject: (documentObject) => {
      if (!('openapiObject' in documentObject)) return documentObject.swaggerObject
      const schemas = (documentObject.openapiObject.components?.schemas ?? {}) as Record<string, object>
      for (const [name, example] of Object.entries(COMPONENT_EXAMPLES)) {
        if (schemas[name]) schemas[name] = { ...schemas[name], examples: [example] }
      }
      return documentObject.openapiObject
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}`
    }
  })
  await fastify.register(fastifySwaggerUi, { routePrefix: '/docs' })
  fastify.get('/openapi.json', { schema: { hide: true } }, async () => fastify.swagger())
}, { name: 'swagger' })
