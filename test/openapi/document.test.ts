import { readFile } from 'node:fs/promises'
import { createConfig, lint } from '@redocly/openapi-core'
import t from 'tap'
import { OPENAPI_FILE, OPENAPI_TYPES_FILE, openapiDocument, openapiTypes, serializeOpenapi } from '../../src/openapi.ts'
import { sharedSchemas } from '../../src/schemas/index.ts'
import { buildTestApp, json, seedSongs } from '../helper.ts'
import { committedSpec, committedSpecText, operationsOf, parametersOf } from './spec.ts'

const RUN_OPENAPI = 'The code and openapi/ disagree: run `npm run openapi` and commit openapi/openapi.json and openapi/schema.d.ts.'

t.test('the committed openapi/openapi.json is exactly what the route schemas generate', async t => {
  t.equal(serializeOpenapi(await openapiDocument()), await committedSpecText, RUN_OPENAPI)
})

t.test('the committed openapi/schema.d.ts is exactly what openapi-typescript generates from it', async t => {
  t.equal(await openapiTypes(await committedSpec), await readFile(OPENAPI_TYPES_FILE, 'utf8'), RUN_OPENAPI)
})

t.test('GET /openapi.json serves the committed document', async t => {
  const app = await buildTestApp(t)
  const response = await app.inject('/openapi.json')
  t.equal(response.statusCode, 200)
  t.same(json(response), await committedSpec, RUN_OPENAPI)
})

// Redocly's recommended rules, with examples that break their schema made errors (recommended only warns).
const LINT_RULES: Parameters<typeof createConfig>[0] = {
  extends: ['recommended'],
  rules: { 'no-invalid-media-type-examples': 'error', 'no-invalid-parameter-examples': 'error', 'no-invalid-schema-examples': 'error' }
}

t.test('the document passes the Redocly linter\'s recommended rules with no error', async t => {
  const problems = await lint({ ref: OPENAPI_FILE.pathname, config: await createConfig(LINT_RULES) })
  const describe = (p: typeof problems[number]) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`
  for (const warning of problems.filter(p => p.severity === 'warn')) t.comment(`lint warning ${describe(warning)}`)
  t.same(problems.filter(p => p.severity === 'error').map(describe), [])
})

t.test('shared schemas are named components, never inlined copies or generated def-N names', async t => {
  const spec = await committedSpec
  const components = Object.keys(spec.components?.schemas ?? {})
  t.same(components.sort(), sharedSchemas.map(schema => (schema as { $id?: string }).$id).sort())
  const refs = [...(await committedSpecText).matchAll(/"\$ref": "([^"]+)"/g)].map(match => match[1]!)
  t.ok(refs.length > 0)
  for (const ref of new Set(refs)) t.match(ref, /^#\/components\/schemas\/[A-Z]\w*$/, `${ref} names a component`)
  t.notMatch(await committedSpecText, /def-\d/, 'no def-N names')
  // An inlined copy of a shared schema would repeat its properties and required ones; each component's appear once.
  // (A patch has the properties of what it patches, none required: another schema, not a copy.)
  const shapes: string[] = []
  JSON.parse(await committedSpecText, (_key, value) => {
    if (value && typeof value === 'object' && 'properties' in value) shapes.push(JSON.stringify([value.properties, value.required ?? []]))
    return value
  })
  for (const [name, schema] of Object.entries(spec.components?.schemas ?? {})) {
    const { properties, required = [] } = schema as { properties?: object, required?: string[] }
    t.equal(shapes.filter(shape => shape === JSON.stringify([properties, required])).length, 1, `${name} is defined once`)
  }
})

t.test('every operation is described, tagged, with described parameters, examples and problem+json errors', async t => {
  const spec = await committedSpec
  const tags = new Set(spec.tags?.map(tag => tag.name))
  const operations = operationsOf(spec)
  t.ok(operations.length >= 5, `${operations.length} operations`)
  const ids = operations.map(({ operation }) => operation.operationId)
  t.equal(new Set(ids).size, ids.length, 'operationIds are unique')
  for (const { method, path, operation } of operations) {
    const name = `${method} ${path}`
    t.match(operation, { operationId: /^[a-z]\w+$/, summary: /\w/, description: /\w/ }, name)
    t.ok(operation.tags?.length && operation.tags.every(tag => tags.has(tag)), `${name} has declared tags`)
    for (const parameter of parametersOf(operation)) {
      t.match(parameter.description, /\w/, `${name} ${parameter.name} is described`)
    }
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const content = (response as { content?: Record<string, { schema?: unknown, example?: unknown }> }).content ?? {}
      if (status.startsWith('2')) {
        if (content['application/json']) t.ok(content['application/json'].example !== undefined, `${name} ${status} has an example`)
      } else {
        t.same(Object.keys(content), ['application/problem+json'], `${name} ${status} is problem+json`)
        t.same(content['application/problem+json']!.schema, { $ref: '#/components/schemas/Problem' }, `${name} ${status} uses Problem`)
        t.equal((content['application/problem+json']!.example as { status?: number }).status, Number(status), `${name} ${status} example`)
      }
    }
    t.ok(Object.keys(operation.responses ?? {}).some(status => status.startsWith('2')), `${name} documents its success`)
    t.ok(operation.responses?.['500'], `${name} documents 500`)
  }
})

t.test('the examples are songs of seed/songs.json, except a new song and a changed one', async t => {
  const seeded = (await seedSongs).map(song => JSON.stringify(song))
  // What an admin adds is not in the seed, and a changed song is a seed song with the example patch applied.
  const { songInputExample, songPatchExample } = await import('../../src/schemas/examples.ts')
  const newSong = JSON.stringify(songInputExample)
  const songs: Record<string, unknown>[] = []
  // A reviver sees every object of the document as it is parsed.
  JSON.parse(await committedSpecText, (_key, value) => {
    if (typeof value?.artist === 'string' && typeof value?.title === 'string') songs.push(value)
    return value
  })
  t.ok(songs.length >= 3, `${songs.length} example songs`)
  // A list or search item is a song with its rating (and a caller's own stars): the song's own fields are compared.
  for (const { id, rating, my_rating: mine, ...song } of songs) {
    const fields = JSON.stringify(song)
    if (fields === newSong) {
      t.notOk(seeded.some(seed => seed.includes(`"title":${JSON.stringify(songInputExample.title)}`)), 'the new song is not a seed song')
      continue
    }
    const unpatched = seeded.find(seed => JSON.stringify({ ...JSON.parse(seed), ...songPatchExample }) === fields)
    if (id !== undefined) t.match(id, /^[0-9a-f]{24}$/)
    t.ok(seeded.includes(fields) || unpatched, `${song.title} is a seed song, field for field${unpatched ? ', with the example patch' : ''}`)
  }
})

t.test('a bearer security scheme, and every operation says whether it needs a token; 401 and 403 documented where they can happen', async t => {
  const spec = await committedSpec
  t.same(spec.components?.securitySchemes?.bearerAuth, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from `POST /auth/token` or `POST /auth/refresh`, sent as `Authorization: Bearer <access_token>`.'
  })
  for (const { method, path, operation } of operationsOf(spec)) {
    const label = `${method} ${path}`
    t.ok(Array.isArray(operation.security), `${label} declares its security`)
    const usesToken = operation.security!.some(requirement => 'bearerAuth' in requirement)
    if (usesToken) {
      const unauthorized = operation.responses?.['401'] as { headers?: Record<string, unknown>, content?: Record<string, { example?: { code?: string } }> } | undefined
      t.ok(unauthorized, `${label} documents 401`)
      t.ok(unauthorized?.headers?.['www-authenticate'], `${label} documents WWW-Authenticate on its 401`)
      t.equal(unauthorized?.content?.['application/problem+json']?.example?.code, 'UNAUTHORIZED', `${label}: an example 401`)
    }
  }
  const security = Object.fromEntries(operationsOf(spec).map(({ operation }) => [operation.operationId, operation.security]))
  t.same(security.getCurrentUser, [{ bearerAuth: [] }], 'GET /users/me requires a token')
  for (const id of ['rateSong', 'listSongs', 'searchSongs']) t.same(security[id], [{}, { bearerAuth: [] }], `${id} takes one optionally`)
  for (const id of ['getRatingSummary', 'getHealth', 'getReadiness', 'createUser', 'signIn', 'refreshTokens', 'signOut']) {
    t.same(security[id], [], `${id} needs no token`)
  }
})
