import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript'
import { buildApp } from './app.ts'
import { loadConfig } from './config.ts'

/** The committed OpenAPI document and the TypeScript types generated from it; `npm run openapi` writes both. */
export const OPENAPI_FILE = new URL('../openapi/openapi.json', import.meta.url)
export const OPENAPI_TYPES_FILE = new URL('../openapi/schema.d.ts', import.meta.url)

/** The OpenAPI document the routes describe, built from the default configuration without a database. */
export async function openapiDocument (): Promise<OpenAPI3> {
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }), {}, { database: false })
  try {
    await app.ready()
    return app.swagger() as OpenAPI3
  } finally {
    await app.close()
  }
}

/** The document file's exact text, so that regenerating an unchanged API changes no byte. */
export function serializeOpenapi (document: OpenAPI3): string {
  return `${JSON.stringify(document, null, 2)}\n`
}

/** What `npx openapi-typescript openapi/openapi.json` prints: the `paths`, `components` and `operations` types. */
export async function openapiTypes (document: OpenAPI3): Promise<string> {
  return COMMENT_HEADER + astToString(await openapiTS(document))
}
